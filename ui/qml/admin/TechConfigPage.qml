pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import ".."

// Settings, checked before they are saved; enrolment with the county's one-time code.
StaffFrame {
    objectName: "techConfigPage"
    title: qsTr("设置")
    Component.onCompleted: TechConfigModel.load()
    actions: [
        BigButton { objectName: "saveConfig"; text: qsTr("检查并保存"); iconName: "check"; onClicked: TechConfigModel.save() }
    ]

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        // What the last step said stays in view however far the list is scrolled.
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            StaffText {
                objectName: "configMessage"
                Layout.fillWidth: true
                text: TechConfigModel.message || qsTr("接好设备后点“查找设备”，本机上找到的设备会列在对应的设置下面，点一下即可选用。")
                font.bold: TechConfigModel.message !== ""
                color: TechConfigModel.message !== "" ? Theme.brand : Theme.ink
            }
            BigButton {
                objectName: "findDevices"
                text: qsTr("查找设备"); iconName: "search"; primaryStyle: false
                enabled: !TechConfigModel.finding
                onClicked: TechConfigModel.findDevices()
            }
        }
        ScrollPane {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: col.implicitHeight
            Column {
                id: col
                width: parent.width
                spacing: Theme.gap
                readonly property bool wide: col.width >= 1200
                // The kiosk's own settings, then each device descriptor's (drivers/<device>/
                // device.py): a setting with choices is a row of buttons in Chinese words (the code
                // is what is stored); the rest are typed in, and a port, a USB id or a camera also
                // offers what is plugged into this machine (looked for off the GUI thread).
                Repeater {
                    model: TechConfigModel.fields
                    // The label beside its setting in landscape, above it in portrait.
                    GridLayout {
                        id: fieldRow
                        required property var modelData
                        visible: fieldRow.modelData.shown
                        width: col.width
                        columns: col.wide ? 2 : 1
                        columnSpacing: Theme.gap
                        rowSpacing: Theme.gap / 2
                        StaffText {
                            text: fieldRow.modelData.label
                            font.bold: !col.wide
                            Layout.preferredWidth: col.wide ? 560 : col.width
                            Layout.alignment: Qt.AlignTop
                            Layout.topMargin: col.wide ? 20 : 0
                            wrapMode: Text.Wrap
                        }
                        Column {
                            Layout.fillWidth: true
                            spacing: Theme.gap
                            Flow {
                                visible: fieldRow.modelData.choices.length > 0
                                width: parent.width
                                spacing: Theme.gap
                                Repeater {
                                    model: fieldRow.modelData.choices
                                    BigButton {
                                        required property var modelData
                                        objectName: "choice_" + fieldRow.modelData.key + "_" + modelData.value
                                        text: modelData.label
                                        implicitWidth: Math.max(160, contentItem.implicitWidth + 48)
                                        primaryStyle: fieldRow.modelData.value === modelData.value
                                        iconName: fieldRow.modelData.value === modelData.value ? "check" : ""
                                        onClicked: TechConfigModel.setValue(fieldRow.modelData.key, modelData.value)
                                    }
                                }
                            }
                            // The box is drawn around the field, so what the field lays out is
                            // exactly its text (the layout rules measure the text where it is).
                            Rectangle {
                                visible: fieldRow.modelData.choices.length === 0
                                width: parent.width
                                height: Theme.target
                                color: Theme.card; border.color: Theme.line; border.width: 3; radius: 12
                                TextField {
                                    objectName: "field_" + fieldRow.modelData.key
                                    anchors.fill: parent
                                    anchors.leftMargin: 18; anchors.rightMargin: 18
                                    padding: 0
                                    verticalAlignment: TextInput.AlignVCenter
                                    text: fieldRow.modelData.value
                                    font.family: Theme.font; font.pixelSize: Theme.primary
                                    color: Theme.ink
                                    placeholderText: fieldRow.modelData.present ? qsTr("点下面找到的设备，或直接输入") : ""
                                    placeholderTextColor: "#404040"
                                    inputMethodHints: Qt.ImhLatinOnly | Qt.ImhNoPredictiveText
                                    background: null
                                    onTextEdited: TechConfigModel.setValue(fieldRow.modelData.key, text)
                                }
                            }
                            Flow {
                                id: foundFlow
                                visible: fieldRow.modelData.found.length > 0
                                width: parent.width
                                spacing: Theme.gap
                                Repeater {
                                    model: fieldRow.modelData.found
                                    BigButton {
                                        required property var modelData
                                        objectName: "found_" + fieldRow.modelData.key + "_" + modelData.value
                                        text: modelData.label
                                        font.bold: false
                                        implicitWidth: Math.min(foundFlow.width, Math.max(160, contentItem.implicitWidth + 48))
                                        primaryStyle: fieldRow.modelData.value === modelData.value
                                        iconName: fieldRow.modelData.value === modelData.value ? "check" : ""
                                        onClicked: TechConfigModel.pickFound(fieldRow.modelData.key, modelData.value)
                                    }
                                }
                            }
                            StaffText {
                                objectName: "nothingFound_" + fieldRow.modelData.key
                                visible: fieldRow.modelData.present && fieldRow.modelData.found.length === 0
                                width: parent.width
                                text: qsTr("本机上没有找到这类设备，可以直接输入")
                            }
                        }
                    }
                }
                StaffText { text: qsTr("向县级平台登记本机（一次性登记码）"); font.bold: true }
                RowLayout {
                    width: col.width
                    spacing: Theme.gap
                    TextField {
                        objectName: "enrolCode"
                        Layout.fillWidth: true
                        Layout.preferredHeight: Theme.target
                        font.family: Theme.font; font.pixelSize: Theme.body
                        color: Theme.ink
                        placeholderText: qsTr("登记码")
                        inputMethodHints: Qt.ImhLatinOnly | Qt.ImhNoPredictiveText
                        placeholderTextColor: "#4A4A4A"
                        background: Rectangle { color: Theme.card; border.color: Theme.line; border.width: 3; radius: 12 }
                        onTextEdited: TechConfigModel.setEnrolCode(text)
                    }
                    BigButton { objectName: "enrolButton"; text: qsTr("登记"); onClicked: TechConfigModel.enrol() }
                }
            }
        }
    }
}
