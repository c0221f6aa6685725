import QtQuick
import QtQuick.Layouts
import ".."

// The technician's menu, the version, and leaving kiosk mode (with a confirmation).
StaffFrame {
    objectName: "techHomePage"
    title: qsTr("维护菜单")
    showBack: false
    Component.onCompleted: TechModel.refresh()

    RowLayout {
        anchors.fill: parent
        spacing: Theme.gap * 3
        GridLayout {
            Layout.alignment: Qt.AlignTop
            columns: 2
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            BigButton { objectName: "openDevices"; text: qsTr("设备检测"); iconName: "print"; onClicked: NavModel.go("techDevices") }
            BigButton { objectName: "openConfig"; text: qsTr("设置"); iconName: "gear"; onClicked: NavModel.go("techConfig") }
            BigButton { objectName: "openSync"; text: qsTr("同步"); iconName: "sync"; onClicked: NavModel.go("techSync") }
            BigButton { objectName: "openLogs"; text: qsTr("日志"); iconName: "document"; onClicked: NavModel.go("techLogs") }
            BigButton { objectName: "openBackup"; text: qsTr("备份与恢复"); iconName: "save"; onClicked: NavModel.go("techBackup") }
            BigButton {
                objectName: "askLeave"
                visible: !TechModel.confirmLeave
                text: qsTr("退出到桌面"); iconName: "desktop"; primaryStyle: false; tint: Theme.bad
                onClicked: TechModel.askLeave()
            }
        }
        Column {
            Layout.alignment: Qt.AlignTop
            Layout.fillWidth: true
            spacing: Theme.gap
            Rectangle {
                objectName: "leaveConfirm"
                visible: TechModel.confirmLeave
                width: parent.width
                height: confirmCol.implicitHeight + 48
                radius: 16; color: "#FFF3E0"; border.color: Theme.warn; border.width: 3
                Column {
                    id: confirmCol
                    anchors.centerIn: parent
                    width: parent.width - 48
                    spacing: Theme.gap
                    StaffText {
                        width: parent.width
                        text: qsTr("确定退出自助模式、回到桌面吗？退出后村民不能使用本机，直到重新启动乡里办。")
                        color: Theme.warn; font.bold: true
                    }
                    Row {
                        spacing: Theme.gap
                        BigButton { objectName: "leaveYes"; text: qsTr("确定退出"); tint: Theme.bad; onClicked: TechModel.leaveKiosk() }
                        BigButton { objectName: "leaveNo"; text: qsTr("取消"); primaryStyle: false; onClicked: TechModel.cancelLeave() }
                    }
                }
            }
            StaffText { text: qsTr("版本信息"); font.bold: true }
            Repeater {
                model: TechModel.versionLines
                StaffText { required property var modelData; required property int index; objectName: "version_" + index; text: modelData; width: parent.width }
            }
        }
    }
}
