import QtQuick

PageFrame {
    objectName: "noticePage"
    title: NoticesModel.title
    spoken: NoticesModel.title
    actions: [
        BigButton {
            objectName: "readNoticeButton"
            visible: AccessModel.voiceAvailable
            primaryStyle: false
            text: qsTr("朗读"); iconName: "speaker"
            onClicked: AccessModel.say(NoticesModel.title + "。" + NoticesModel.body)
        }
    ]
    ScrollPane {
        anchors.fill: parent
        contentHeight: col.implicitHeight
        Column {
            id: col
            width: parent.width
            spacing: Theme.gap
            Text { text: NoticesModel.meta; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft }
            Text {
                objectName: "noticeBody"
                width: parent.width
                text: NoticesModel.body
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap; lineHeight: 1.3
            }
        }
    }
}
