import QtQuick
import QtQuick.Layouts
import ".."

// The technician's menu, the version, and leaving kiosk mode (with a confirmation).
StaffFrame {
    objectName: "techHomePage"
    title: qsTr("维护菜单")
    showBack: false
    Component.onCompleted: TechModel.refresh()

    // The menu beside the version in landscape, above it in portrait.
    GridLayout {
        id: page
        anchors.fill: parent
        columns: page.width >= 1400 ? 2 : 1
        columnSpacing: Theme.gap * 3
        rowSpacing: Theme.gap * 2
        // One width for every button of the menu: the widest one's.
        GridLayout {
            id: menu
            readonly property real buttonWidth: Math.max(openDevices.implicitWidth, openConfig.implicitWidth, openSync.implicitWidth, openLogs.implicitWidth, openBackup.implicitWidth, askLeave.implicitWidth)
            Layout.alignment: Qt.AlignTop
            columns: 2
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            BigButton { id: openDevices; objectName: "openDevices"; Layout.preferredWidth: menu.buttonWidth; text: qsTr("设备检测"); iconName: "print"; onClicked: NavModel.go("techDevices") }
            BigButton { id: openConfig; objectName: "openConfig"; Layout.preferredWidth: menu.buttonWidth; text: qsTr("设置"); iconName: "gear"; onClicked: NavModel.go("techConfig") }
            BigButton { id: openSync; objectName: "openSync"; Layout.preferredWidth: menu.buttonWidth; text: qsTr("同步"); iconName: "sync"; onClicked: NavModel.go("techSync") }
            BigButton { id: openLogs; objectName: "openLogs"; Layout.preferredWidth: menu.buttonWidth; text: qsTr("日志"); iconName: "document"; onClicked: NavModel.go("techLogs") }
            BigButton { id: openBackup; objectName: "openBackup"; Layout.preferredWidth: menu.buttonWidth; text: qsTr("备份与恢复"); iconName: "save"; onClicked: NavModel.go("techBackup") }
            BigButton {
                id: askLeave
                objectName: "askLeave"
                Layout.preferredWidth: menu.buttonWidth
                visible: !TechModel.confirmLeave
                text: qsTr("退出到桌面"); iconName: "desktop"; primaryStyle: false; tint: Theme.bad
                onClicked: TechModel.askLeave()
            }
        }
        Column {
            Layout.alignment: Qt.AlignTop
            Layout.fillWidth: true
            Layout.fillHeight: true  // takes what is left over, so the menu stays at the top
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
