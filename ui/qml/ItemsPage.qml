import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    objectName: "itemsPage"
    title: guideModel.categoryName + " · " + qsTr("请选择事项")
    ScrollPane {
        anchors.fill: parent
        contentHeight: list.implicitHeight
        Column {
            id: list
            width: parent.width
            spacing: Theme.gap
            Repeater {
                model: guideModel.items
                AbstractButton {
                    objectName: "item_" + modelData.code
                    width: list.width
                    height: 140
                    onClicked: { guideModel.openItem(modelData.code); navModel.go("guide") }
                    background: Rectangle { radius: 16; color: parent.down ? "#DCE7F3" : Theme.card; border.color: Theme.brand; border.width: 3 }
                    contentItem: Column {
                        anchors.fill: parent
                        anchors.margins: 20
                        spacing: 8
                        Text { text: modelData.name; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; elide: Text.ElideRight; width: parent.width }
                        Text { text: modelData.kind + " · " + modelData.days + " · " + modelData.level; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft }
                    }
                }
            }
        }
    }
}
