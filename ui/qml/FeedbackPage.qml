import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    id: page
    objectName: "feedbackPage"
    title: Theme.keyboardUp ? "" : qsTr("投诉建议")
    spoken: qsTr("请选择投诉或者建议，然后写下您要反映的事")
    Connections {
        target: FeedbackModel
        function onSubmitted() { NavModel.replace("feedbackDone") }
    }
    actions: [
        BigButton {
            objectName: "submitFeedback"
            enabled: !FeedbackModel.busy && textArea.text.trim() !== ""
            text: FeedbackModel.busy ? qsTr("正在保存…") : qsTr("提交"); iconName: "check"
            onClicked: FeedbackModel.submit(textArea.text, phoneField.text)
        }
    ]
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        RowLayout {
            spacing: Theme.gap
            BigButton {
                objectName: "kindComplaint"
                text: qsTr("投诉"); iconName: FeedbackModel.kind === "complaint" ? "check" : ""
                primaryStyle: FeedbackModel.kind === "complaint"
                onClicked: FeedbackModel.setKind("complaint")
            }
            BigButton {
                objectName: "kindSuggestion"
                text: qsTr("建议"); iconName: FeedbackModel.kind === "suggestion" ? "check" : ""
                primaryStyle: FeedbackModel.kind === "suggestion"
                onClicked: FeedbackModel.setKind("suggestion")
            }
            Item { Layout.preferredWidth: Theme.gap }
            BigButton {
                objectName: "anonymousToggle"
                text: FeedbackModel.anonymous ? qsTr("匿名：是") : qsTr("匿名：否")
                iconName: FeedbackModel.anonymous ? "check" : ""
                primaryStyle: false
                onClicked: FeedbackModel.setAnonymous(!FeedbackModel.anonymous)
            }
        }
        TextArea {
            id: textArea
            objectName: "feedbackText"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: Theme.target * 1.5
            placeholderText: qsTr("请写下您要反映的事（可以用拼音输入）")
            placeholderTextColor: Theme.inkSoft
            wrapMode: TextEdit.Wrap
            font.family: Theme.font; font.pixelSize: Theme.primary
            background: Rectangle { color: Theme.card; border.color: Theme.brand; border.width: 3; radius: 12 }
        }
        RowLayout {
            visible: !FeedbackModel.anonymous
            spacing: Theme.gap
            Text { text: qsTr("联系电话"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
            NumberField {
                id: phoneField
                objectName: "feedbackPhone"
                maximumLength: 20
                Layout.preferredWidth: 520; Layout.preferredHeight: Theme.target
                placeholderText: qsTr("手机号，方便回复您")
                placeholderTextColor: Theme.inkSoft
            }
        }
        Text {
            objectName: "feedbackError"
            visible: FeedbackModel.error !== ""
            Layout.fillWidth: true
            text: "⚠ " + FeedbackModel.error
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
        }
    }
}
