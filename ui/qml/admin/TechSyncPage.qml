import QtQuick
import QtQuick.Layouts
import ".."

// Sync: online or not, what waits, the last error, and 立即同步.
StaffFrame {
    objectName: "techSyncPage"
    title: qsTr("同步")
    Component.onCompleted: techModel.refresh()
    actions: [
        BigButton { objectName: "syncNow"; text: qsTr("立即同步"); glyph: "⇅"; onClicked: techModel.syncNow() }
    ]
    Column {
        anchors.fill: parent
        spacing: Theme.gap
        Repeater {
            model: techModel.syncLines
            StaffText { objectName: "syncLine_" + index; text: modelData; width: parent.width; font.pixelSize: Theme.primary }
        }
        StaffText {
            objectName: "syncResult"
            text: techModel.results["sync"] || ""
            visible: text !== ""
            color: Theme.brand; font.bold: true
        }
    }
}
