import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "helpPage"
    title: qsTr("找代办员")
    spoken: qsTr("不会操作，请找村里的代办员")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Text {
            Layout.fillWidth: true
            text: qsTr("不会操作、没有身份证、要替家人办？请找村里的代办员，全程帮您代办，不收任何费用。")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: info.implicitHeight + 48
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
            Column {
                id: info
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                spacing: 12
                Text { text: qsTr("地点：") + StatusModel.station + qsTr("服务台"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap }
                Text { objectName: "helpPhone"; text: qsTr("电话：") + StatusModel.stationPhone; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.brand }
                Text { text: qsTr("时间：") + StatusModel.stationHours; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap }
            }
        }
        Item { Layout.fillHeight: true }
    }
}
