import QtQuick
import ".."

// Sync: online or not, what waits, the last error, and 立即同步.
StaffFrame {
    objectName: "techSyncPage"
    title: qsTr("同步")
    Component.onCompleted: TechModel.refresh()
    actions: [
        BigButton { objectName: "syncNow"; text: qsTr("立即同步"); iconName: "sync"; onClicked: TechModel.syncNow() },
        BigButton {
            objectName: "confirmTime"; text: qsTr("本机时间正确"); iconName: "check"
            visible: TechModel.timeUnconfirmed; onClicked: TechModel.confirmTime()
        }
    ]
    Column {
        anchors.fill: parent
        spacing: Theme.gap
        Repeater {
            model: TechModel.syncLines
            StaffText { required property var modelData; required property int index; objectName: "syncLine_" + index; text: modelData; width: parent.width; font.pixelSize: Theme.primary }
        }
        StaffText {
            objectName: "syncResult"
            text: TechModel.results["sync"] || ""
            visible: text !== ""
            color: Theme.brand; font.bold: true
        }
    }
}
