import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "receiptPage"
    // The application is received (已收件), not yet accepted: the same words as the 收件回执
    // and the progress page (progressModel opened the case when it was saved).
    title: qsTr("✔ 申请已收件")
    showBack: false
    property string spoken: qsTr("申请已收件，请取走回执")
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
    // Landscape: the case on the left, the printer's word on the right (all of it fits with 大字
    // on); portrait: one under the other.
    GridLayout {
        anchors.fill: parent
        columns: Theme.portrait ? 1 : 2
        columnSpacing: Theme.gap * 2
        rowSpacing: Theme.gap / 2
        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop
            spacing: Theme.gap / 2
            Text { text: qsTr("您的办件编号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
            Text {
                objectName: "caseNo"
                text: applyModel.caseNo
                font.family: Theme.font; font.pixelSize: Theme.huge; font.bold: true; color: Theme.brand
            }
            Text { text: qsTr("事项：") + applyModel.itemName; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; Layout.fillWidth: true; wrapMode: Text.Wrap }
            Text {
                objectName: "receiptWhere"
                visible: progressModel.whereText !== ""
                Layout.fillWidth: true
                text: qsTr("您的申请") + progressModel.whereText
                font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
            }
            Text {
                objectName: "receiptNext"
                visible: progressModel.nextStep !== ""
                Layout.fillWidth: true
                text: progressModel.nextStep + (progressModel.promisedText !== "" ? "；" + progressModel.promisedText : "")
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
            }
            Text {
                objectName: "receiptHours"
                visible: progressModel.hoursText !== ""
                Layout.fillWidth: true
                text: progressModel.hoursText
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
        ColumnLayout {
            Layout.fillWidth: Theme.portrait
            Layout.preferredWidth: Theme.portrait ? -1 : 720
            Layout.alignment: Qt.AlignTop
            spacing: Theme.gap / 2
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
        }
        Item { Layout.fillHeight: true; Layout.columnSpan: Theme.portrait ? 1 : 2 }
    }
}
