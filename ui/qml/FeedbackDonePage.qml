import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "feedbackDonePage"
    title: qsTr("✔ 已收到您的") + FeedbackModel.kindLabel
    showBack: false
    spoken: qsTr("已收到，请取走回执")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Text { text: qsTr("查询号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
        Text {
            objectName: "trackingNo"
            text: FeedbackModel.trackingNo
            font.family: Theme.font; font.pixelSize: Theme.huge; font.bold: true; color: Theme.brand
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("县里会在5个工作日内处理并答复。凭回执上的查询号，可以在本机或向代办员查询处理结果。")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
        }
        Text {
            Layout.fillWidth: true
            text: FeedbackModel.printMessage
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
        }
        Item { Layout.fillHeight: true }
    }
}
