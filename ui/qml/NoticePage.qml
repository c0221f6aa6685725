import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "noticePage"
    title: noticesModel.title
    property string spoken: noticesModel.title
    actions: [
        BigButton {
            objectName: "readNoticeButton"
            visible: accessModel.voiceAvailable
            primaryStyle: false
            text: qsTr("朗读"); glyph: "🔊"
            onClicked: accessModel.say(noticesModel.title + "。" + noticesModel.body)
        }
    ]
    ScrollPane {
        anchors.fill: parent
        contentHeight: col.implicitHeight
        Column {
            id: col
            width: parent.width
            spacing: Theme.gap
            Text { text: noticesModel.meta; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft }
            Text {
                objectName: "noticeBody"
                width: parent.width
                text: noticesModel.body
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap; lineHeight: 1.3
            }
        }
    }
}
