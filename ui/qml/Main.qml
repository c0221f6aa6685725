import QtQuick
import QtQuick.Window
import QtQuick.Layouts
// Imported here, not only in Keyboard.qml, so the keyboard's plugins load with the window (the
// input method has loaded their libraries already) and the first keyboard comes up sooner.
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

// The kiosk window: a status bar, then the page `navModel.page` names, the on-screen keyboard,
// and the idle countdown above everything. No business rule lives here.
Window {
    id: root
    readonly property bool typing: activeFocusItem !== null && activeFocusItem.inputMethodHints !== undefined
    // A text field took the focus: the keyboard is needed from now on.
    onTypingChanged: if (typing) keyboardLoader.wanted = true
    width: 1920
    height: 1080
    visible: true
    color: Theme.paper
    title: qsTr("乡里办")

    Binding { target: Theme; property: "textScale"; value: accessModel.largeText ? 1.25 : 1.0 }
    Binding { target: Theme; property: "portrait"; value: root.height > root.width }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            objectName: "statusBar"
            Layout.fillWidth: true
            Layout.preferredHeight: bar.implicitHeight + 24
            color: Theme.brand
            GridLayout {
                id: bar
                anchors.fill: parent
                anchors.leftMargin: Theme.margin
                anchors.rightMargin: Theme.margin
                anchors.topMargin: 12
                anchors.bottomMargin: 12
                columns: Theme.portrait ? 3 : 5
                columnSpacing: Theme.gap
                rowSpacing: 12
                Text {
                    objectName: "stationTitle"
                    text: qsTr("乡里办") + " · " + statusModel.station
                    color: Theme.brandInk; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true
                    Layout.fillWidth: true
                    Layout.columnSpan: Theme.portrait ? 2 : 1
                    elide: Text.ElideRight
                    // Staff entry: hold the station name for 5 seconds (documented in
                    // docs/ADMIN.md). A villager's tap or short press does nothing here.
                    MouseArea {
                        objectName: "staffEntry"
                        anchors.fill: parent
                        pressAndHoldInterval: 5000
                        onPressAndHold: navModel.enterStaffMode()
                    }
                }
                Text {
                    objectName: "clockText"
                    text: statusModel.dateText + "  " + statusModel.timeText
                    color: Theme.brandInk; font.family: Theme.font; font.pixelSize: Theme.body
                    Layout.alignment: Qt.AlignRight | Qt.AlignVCenter
                }
                Rectangle {
                    objectName: "syncBadge"
                    radius: 12
                    color: statusModel.online ? "#E8F5E9" : "#FFF3E0"
                    border.color: statusModel.online ? Theme.good : Theme.warn
                    border.width: 3
                    Layout.preferredWidth: syncText.implicitWidth + 48
                    Layout.preferredHeight: Theme.target
                    Layout.fillWidth: Theme.portrait
                    Text {
                        id: syncText
                        objectName: "syncText"
                        anchors.centerIn: parent
                        text: (statusModel.online ? "● " : "○ ") + statusModel.syncText
                        color: statusModel.online ? Theme.good : Theme.warn
                        font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true
                    }
                }
                ToggleButton {
                    objectName: "largeTextToggle"
                    label: qsTr("大字")
                    checked: accessModel.largeText
                    onClicked: accessModel.toggleLargeText()
                }
                ToggleButton {
                    objectName: "voiceToggle"
                    label: accessModel.voiceAvailable ? qsTr("语音") : qsTr("无语音")
                    checked: accessModel.voiceOn
                    enabled: accessModel.voiceAvailable
                    onClicked: accessModel.toggleVoice()
                }
                Rectangle {
                    objectName: "deviceProblem"
                    visible: devicesModel.problemText !== ""
                    Layout.columnSpan: Theme.portrait ? 3 : 5
                    Layout.fillWidth: true
                    Layout.preferredHeight: devText.implicitHeight + 16
                    radius: 12; color: "#FFF3E0"; border.color: Theme.warn; border.width: 3
                    Text {
                        id: devText
                        anchors.centerIn: parent
                        text: "⚠ " + devicesModel.problemText + qsTr("，请联系代办员")
                        color: Theme.warn; font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true
                    }
                }
            }
        }

        Loader {
            id: pageLoader
            objectName: "pageLoader"
            Layout.fillWidth: true
            Layout.fillHeight: true
            source: navModel.pageSource
            onLoaded: if (item && item.spoken) accessModel.say(item.spoken)
        }

        // The on-screen keyboard (Keyboard.qml), made the first time a text field asks for it,
        // then kept. Its height follows its width, so in landscape it is narrower to leave room
        // for results.
        Loader {
            id: keyboardLoader
            objectName: "keyboardLoader"
            property bool wanted: false
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Theme.portrait ? root.width : Math.min(root.width, 1080)
            active: wanted
            asynchronous: true  // made over a few frames: the screen never stalls for it
            visible: item !== null && item.active
            source: "Keyboard.qml"
            // The field that asked was focused before the keyboard existed: show it now.
            onLoaded: if (root.typing) Qt.inputMethod.show()
        }
    }

    // The idle countdown: big, plain, and one tap to keep going.
    Rectangle {
        objectName: "idleOverlay"
        anchors.fill: parent
        visible: sessionModel.countingDown
        color: "#1B1B1B"  // opaque: what is behind it is the villager's own business
        ColumnLayout {
            anchors.centerIn: parent
            spacing: Theme.gap * 2
            Text {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("您还在吗？")
                color: Theme.brandInk; font.family: Theme.font; font.pixelSize: Theme.huge; font.bold: true
            }
            Text {
                objectName: "idleSeconds"
                Layout.alignment: Qt.AlignHCenter
                text: sessionModel.secondsLeft + qsTr(" 秒后回到首页，并清除您的信息")
                color: Theme.brandInk; font.family: Theme.font; font.pixelSize: Theme.primary
            }
            BigButton {
                objectName: "keepGoingButton"
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: 480
                text: qsTr("继续办理"); glyph: "👆"
                onClicked: sessionModel.keepGoing()
            }
        }
        MouseArea { anchors.fill: parent; z: -1 }  // taps outside the button do nothing
    }
}
