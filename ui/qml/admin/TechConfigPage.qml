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

    ScrollPane {
        anchors.fill: parent
        contentHeight: col.implicitHeight
        Column {
            id: col
            width: parent.width
            spacing: Theme.gap
            StaffText {
                objectName: "configMessage"
                visible: text !== ""
                width: col.width
                text: TechConfigModel.message
                font.bold: true; color: Theme.brand
            }
            // The kiosk's own settings, then each device descriptor's (drivers/<device>/
            // device.py): a setting with choices is a row of buttons, the rest are typed in.
            Repeater {
                model: TechConfigModel.fields
                RowLayout {
                    id: fieldRow
                    required property var modelData
                    width: col.width
                    spacing: Theme.gap
                    StaffText { text: fieldRow.modelData.label; Layout.preferredWidth: 620; wrapMode: Text.NoWrap; elide: Text.ElideRight }
                    TextField {
                        objectName: "field_" + fieldRow.modelData.key
                        visible: fieldRow.modelData.choices.length === 0
                        Layout.fillWidth: true
                        Layout.preferredHeight: Theme.target
                        text: fieldRow.modelData.value
                        font.family: Theme.font; font.pixelSize: Theme.body
                        color: Theme.ink
                        inputMethodHints: Qt.ImhLatinOnly | Qt.ImhNoPredictiveText
                        background: Rectangle { color: Theme.card; border.color: Theme.line; border.width: 3; radius: 12 }
                        onTextEdited: TechConfigModel.setValue(fieldRow.modelData.key, text)
                    }
                    Flow {
                        visible: fieldRow.modelData.choices.length > 0
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        Repeater {
                            model: fieldRow.modelData.choices
                            BigButton {
                                required property string modelData
                                objectName: "choice_" + fieldRow.modelData.key + "_" + modelData
                                text: modelData
                                implicitWidth: Math.max(160, contentItem.implicitWidth + 48)
                                primaryStyle: fieldRow.modelData.value === modelData
                                iconName: fieldRow.modelData.value === modelData ? "check" : ""
                                onClicked: TechConfigModel.setValue(fieldRow.modelData.key, modelData)
                            }
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
