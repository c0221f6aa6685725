import QtQuick
import QtQuick.Window
import QtQuick.Layouts
// The on-screen keyboard's modules are not imported here: the composition root loads them once
// the first frame is up (ui/app.py, _load_keyboard_modules), so the first keyboard still comes
// up soon and the home screen sooner.

// The kiosk window: a status bar, then the page `NavModel.page` names, the on-screen keyboard,
// and the idle countdown above everything. No business rule lives here.
Window {
    id: root
    // An ID or phone number field (NumberField.qml) has the focus: the number pad, not the keyboard.
    readonly property NumberField padField: activeFocusItem as NumberField
    readonly property bool typing: (activeFocusItem instanceof TextInput && padField === null) || activeFocusItem instanceof TextEdit
    // A text field took the focus: the keyboard is needed from now on.
    onTypingChanged: if (typing) keyboardLoader.wanted = true
    width: 1920
    height: 1080
    visible: true
    color: Theme.paper
    title: qsTr("乡里办")

    Binding { target: Theme; property: "textScale"; value: AccessModel.largeText ? 1.25 : 1.0 }
    Binding { target: Theme; property: "portrait"; value: root.height > root.width }
    // The linter types Qt.inputMethod as QObject, and `as InputMethod` is null at run time (Qt
    // 6.11): the one untyped read, here, for every page (docs/DECISIONS.md).
    Binding { target: Theme; property: "keyboardUp"; value: Qt.inputMethod.visible || root.padField !== null }  // qmllint disable missing-property

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
                    text: qsTr("乡里办") + " · " + StatusModel.station
                    color: Theme.brandInk; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true
                    Layout.fillWidth: true
                    Layout.columnSpan: Theme.portrait ? 2 : 1
                    // Whole on one line, never cut to "乡里办 · ···": in 大字 the bar is too
                    // narrow for it at full size, so it is drawn smaller, never below 28 px.
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: 28
                    Layout.alignment: Qt.AlignVCenter
                    // Staff entry: hold the station name for 5 seconds (documented in
                    // docs/ADMIN.md). A villager's tap or short press does nothing here.
                    MouseArea {
                        objectName: "staffEntry"
                        anchors.fill: parent
                        pressAndHoldInterval: 5000
                        onPressAndHold: NavModel.enterStaffMode()
                    }
                }
                Text {
                    objectName: "clockText"
                    // In 大字 the time goes under the date: room for the station's name.
                    text: StatusModel.dateText + (AccessModel.largeText ? "\n" : "  ") + StatusModel.timeText
                    horizontalAlignment: Text.AlignRight
                    // Two lines no taller than the buttons beside them.
                    lineHeightMode: AccessModel.largeText ? Text.FixedHeight : Text.ProportionalHeight
                    lineHeight: AccessModel.largeText ? Theme.target / 2 - 8 : 1.0
                    color: Theme.brandInk; font.family: Theme.font; font.pixelSize: Theme.body
                    Layout.alignment: Qt.AlignRight | Qt.AlignVCenter
                }
                Rectangle {
                    objectName: "syncBadge"
                    radius: 12
                    color: StatusModel.online ? "#E8F5E9" : "#FFF3E0"
                    border.color: StatusModel.online ? Theme.good : Theme.warn
                    border.width: 3
                    Layout.preferredWidth: syncOneLine.advanceWidth + 48
                    Layout.preferredHeight: Math.max(Theme.target, syncText.height + 24)
                    Layout.fillWidth: Theme.portrait
                    Text {
                        id: syncText
                        objectName: "syncText"
                        anchors.centerIn: parent
                        // Narrower than its words (portrait, 大字): on two lines, inside the frame.
                        width: Math.min(implicitWidth, parent.width - 48)
                        wrapMode: Text.Wrap; horizontalAlignment: Text.AlignHCenter
                        // Too narrow for one line: broken between its phrases (没网 / 照常能办事),
                        // never inside one (照 / 常能办事).
                        text: syncOneLine.advanceWidth <= parent.width - 48 ? syncOneLine.text : syncOneLine.text.replace(" · ", "\n")
                        TextMetrics { id: syncOneLine; font: syncText.font; text: (StatusModel.online ? "● " : "○ ") + StatusModel.syncText }
                        color: StatusModel.online ? Theme.good : Theme.warn
                        font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true
                    }
                }
                ToggleButton {
                    objectName: "largeTextToggle"
                    offLabel: qsTr("放大字")
                    onLabel: qsTr("恢复小字")
                    checked: AccessModel.largeText
                    onClicked: AccessModel.toggleLargeText()
                }
                ToggleButton {
                    objectName: "voiceToggle"
                    // Without a voice on this kiosk there is nothing to switch: not shown.
                    visible: AccessModel.voiceAvailable
                    offLabel: qsTr("开语音")
                    onLabel: qsTr("关语音")
                    checked: AccessModel.voiceOn
                    onClicked: AccessModel.toggleVoice()
                }
                Rectangle {
                    objectName: "deviceProblem"
                    visible: DevicesModel.problemText !== ""
                    Layout.columnSpan: Theme.portrait ? 3 : 5
                    Layout.fillWidth: true
                    Layout.preferredHeight: devText.implicitHeight + 16
                    radius: 12; color: "#FFF3E0"; border.color: Theme.warn; border.width: 3
                    Text {
                        id: devText
                        objectName: "deviceProblemText"
                        anchors.centerIn: parent
                        text: "⚠ " + DevicesModel.problemText + qsTr("，请联系代办员")
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
            source: NavModel.pageSource
            // A villager's page says what to do there; the staff pages say nothing.
            onLoaded: {
                const words = (item as PageFrame)?.spoken ?? (item as HomePage)?.spoken ?? ""
                if (words) AccessModel.say(words)
            }
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
            visible: item !== null && Theme.keyboardUp && root.padField === null
            source: "Keyboard.qml"
            // The field that asked was focused before the keyboard existed: show it now.
            onLoaded: if (root.typing) Qt.inputMethod.show()  // qmllint disable missing-property
        }

        // The large number pad, in place of the keyboard, while an ID or phone number is typed;
        // made when a number field takes the focus (not before home's first frame).
        Loader {
            objectName: "numberPadLoader"
            Layout.fillWidth: true
            active: root.padField !== null
            visible: active
            source: "NumberPad.qml"  // by name: the type is compiled only when first wanted
            onLoaded: (item as NumberPad).field = Qt.binding(() => root.padField)
        }
    }

    // The idle countdown: big, plain, and one tap to keep going.
    Rectangle {
        objectName: "idleOverlay"
        anchors.fill: parent
        visible: SessionModel.countingDown
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
                text: SessionModel.secondsLeft + qsTr(" 秒后回到首页，并清除您的信息")
                color: Theme.brandInk; font.family: Theme.font; font.pixelSize: Theme.primary
            }
            BigButton {
                objectName: "keepGoingButton"
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: 480
                text: qsTr("继续办理"); iconName: "forward"
                onClicked: SessionModel.keepGoing()
            }
        }
        MouseArea { anchors.fill: parent; z: -1 }  // taps outside the button do nothing
    }
}
