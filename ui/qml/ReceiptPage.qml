import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "receiptPage"
    title: qsTr("✔ 申请已保存")
    showBack: false
    property string spoken: qsTr("申请已保存，请取走回执")
    actions: [
        BigButton {
            objectName: "reprintButton"
            visible: !applyModel.printed
            primaryStyle: false
            text: qsTr("重新打印")
            onClicked: applyModel.reprint()
        },
        BigButton {
            objectName: "viewProgressButton"
            text: qsTr("查看进度"); glyph: "🔍"
            onClicked: { progressModel.openCase(applyModel.caseId); navModel.replace("progress") }
        }
    ]
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap / 2  // all of it fits in landscape with 大字 on
        Text { text: qsTr("您的办件编号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
        Text {
            objectName: "caseNo"
            text: applyModel.caseNo
            font.family: Theme.font; font.pixelSize: Theme.huge; font.bold: true; color: Theme.brand
        }
        Text { text: qsTr("事项：") + applyModel.itemName; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; Layout.fillWidth: true; wrapMode: Text.Wrap }
        Text { text: qsTr("承诺办结：") + applyModel.promisedText; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
        Rectangle {
            objectName: "printStatus"
            Layout.fillWidth: true
            Layout.preferredHeight: printText.implicitHeight + 40
            radius: 16
            color: applyModel.printed ? "#E8F5E9" : "#FFF3E0"
            border.color: applyModel.printed ? Theme.good : Theme.warn
            border.width: 3
            Text {
                id: printText
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: (applyModel.printed ? "🧾 " : "⚠ ") + applyModel.printMessage
                font.family: Theme.font; font.pixelSize: Theme.primary; color: applyModel.printed ? Theme.good : Theme.warn; wrapMode: Text.Wrap
            }
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("以后可以在本机“进度查询”扫描回执上的二维码，查看办理进度。")
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
        }
        Item { Layout.fillHeight: true }
    }
}
