import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "noticesPage"
    title: qsTr("三务公开")
    property string spoken: qsTr("三务公开")
    Text {
        anchors.fill: parent
        text: qsTr("暂时没有新的公告。\n党务、村务、财务公开信息由县里发布后会显示在这里。")
        font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
    }
}
