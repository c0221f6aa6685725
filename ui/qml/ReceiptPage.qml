import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "receiptPage"
    // Handed in, not yet taken on: the state's one name in the villager's words (Status.plain,
    // domain/vocabulary.py), as on the 收件回执 and the progress page (ProgressModel opened the
    // case when it was saved).
    title: "✔ " + ProgressModel.submittedLabel
    showBack: false
    spoken: ProgressModel.submittedLabel + qsTr("。请取走回执")
    actions: [
        BigButton {
            objectName: "reprintButton"
            visible: !ApplyModel.printed
            primaryStyle: false
            text: qsTr("重新打印")
            onClicked: ApplyModel.reprint()
        },
        BigButton {
            objectName: "viewProgressButton"
            text: qsTr("查看进度"); iconName: "search"
            onClicked: { ProgressModel.openCase(ApplyModel.caseId); NavModel.replace("progress") }
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
                text: ApplyModel.caseNo
                font.family: Theme.font; font.pixelSize: Theme.huge; font.bold: true; color: Theme.brand
            }
            Text { text: qsTr("事项：") + ApplyModel.itemName; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; Layout.fillWidth: true; wrapMode: Text.Wrap }
            Text {
                objectName: "receiptWhere"
                visible: ProgressModel.whereText !== ""
                Layout.fillWidth: true
                text: qsTr("现在在哪里：") + ProgressModel.whereText
                font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
            }
            Text {
                objectName: "receiptNext"
                visible: ProgressModel.nextStep !== ""
                Layout.fillWidth: true
                text: ProgressModel.nextStep + (ProgressModel.promisedText !== "" ? "；" + ProgressModel.promisedText : "")
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
            }
            Text {
                objectName: "receiptHours"
                visible: ProgressModel.hoursText !== ""
                Layout.fillWidth: true
                text: ProgressModel.hoursText
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
                color: ApplyModel.printed ? "#E8F5E9" : "#FFF3E0"
                border.color: ApplyModel.printed ? Theme.good : Theme.warn
                border.width: 3
                Text {
                    id: printText
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                    text: (ApplyModel.printed ? "" : "⚠ ") + ApplyModel.printMessage
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: ApplyModel.printed ? Theme.good : Theme.warn; wrapMode: Text.Wrap
                }
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("以后可以在本机“进度查询”扫描回执上的二维码，查看办理进度。")
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
            }
            Text {
                objectName: "receiptSms"
                visible: ApplyModel.smsTo !== ""
                Layout.fillWidth: true
                text: qsTr("办理进度会发短信到%1").arg(ApplyModel.smsTo)  // masked: 138****5678
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
        Item { Layout.fillHeight: true; Layout.columnSpan: Theme.portrait ? 1 : 2 }
    }
}
