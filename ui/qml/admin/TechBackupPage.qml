pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import ".."

// Back the data up to a USB stick, or restore it (checked first; a restart is needed after).
StaffFrame {
    objectName: "techBackupPage"
    title: qsTr("备份与恢复")
    Component.onCompleted: TechConfigModel.findMedia()

    ScrollPane {
        anchors.fill: parent
        contentHeight: col.implicitHeight
        Column {
            id: col
            width: parent.width
            spacing: Theme.gap
            StaffText {
                objectName: "backupMessage"
                visible: text !== ""
                width: col.width
                text: TechConfigModel.message
                font.bold: true; color: Theme.brand
            }
            Rectangle {
                objectName: "restoreConfirm"
                visible: TechConfigModel.confirmRestore
                width: col.width
                height: rc.implicitHeight + 48
                radius: 16; color: "#FFF3E0"; border.color: Theme.warn; border.width: 3
                Column {
                    id: rc
                    anchors.centerIn: parent
                    width: parent.width - 48
                    spacing: Theme.gap
                    StaffText {
                        width: parent.width
                        text: qsTr("用 {file} 替换本机全部数据？本机现有的数据会被覆盖，恢复后必须重启乡里办。").replace("{file}", TechConfigModel.chosen)
                        color: Theme.warn; font.bold: true
                    }
                    Row {
                        spacing: Theme.gap
                        BigButton { objectName: "restoreYes"; text: qsTr("确定恢复"); tint: Theme.bad; onClicked: TechConfigModel.restore() }
                        BigButton { objectName: "restoreNo"; text: qsTr("取消"); primaryStyle: false; onClicked: TechConfigModel.cancelRestore() }
                    }
                }
            }
            Flow {
                width: col.width
                spacing: Theme.gap
                BigButton { objectName: "findMedia"; text: qsTr("查找U盘"); primaryStyle: false; onClicked: TechConfigModel.findMedia() }
                Repeater {
                    model: TechConfigModel.media
                    BigButton { required property var modelData; required property int index; objectName: "media_" + index; text: modelData; primaryStyle: TechConfigModel.folder === modelData; onClicked: TechConfigModel.setFolder(modelData) }
                }
            }
            RowLayout {
                width: col.width
                spacing: Theme.gap
                TextField {
                    objectName: "backupFolder"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Theme.target
                    text: TechConfigModel.folder
                    font.family: Theme.font; font.pixelSize: Theme.body
                    color: Theme.ink
                    placeholderText: qsTr("U盘文件夹路径")
                    inputMethodHints: Qt.ImhLatinOnly | Qt.ImhNoPredictiveText
                    placeholderTextColor: "#4A4A4A"
                    background: Rectangle { color: Theme.card; border.color: Theme.line; border.width: 3; radius: 12 }
                    onTextEdited: TechConfigModel.setFolder(text)
                }
                BigButton { objectName: "backupButton"; text: qsTr("备份到这里"); iconName: "save"; onClicked: TechConfigModel.backup() }
                BigButton { objectName: "listBackups"; text: qsTr("查看备份"); primaryStyle: false; onClicked: TechConfigModel.listBackups() }
            }
            Repeater {
                model: TechConfigModel.backups
                BigButton {
                    id: restoreButton
                    required property var modelData
                    required property int index
                    objectName: "backup_" + index
                    width: col.width
                    text: qsTr("从此恢复：") + modelData.split("/").pop()
                    font.pixelSize: Theme.body
                    primaryStyle: false
                    onClicked: TechConfigModel.chooseBackup(modelData)
                }
            }
        }
    }
}
