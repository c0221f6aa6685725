import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    objectName: "itemsPage"
    title: guideModel.categoryName + " · " + qsTr("请选择事项")
    property string spoken: qsTr("请点击您要办的事项")
    ScrollPane {
        anchors.fill: parent
        contentHeight: list.implicitHeight
        Column {
            id: list
            width: parent.width
            spacing: Theme.gap
            Repeater {
                model: guideModel.items
                ItemRow {
                    objectName: "item_" + modelData.code
                    width: list.width
                    name: modelData.name
                    detail: modelData.kind + " · " + modelData.days + " · " + modelData.level
                    onClicked: { guideModel.openItem(modelData.code); navModel.go("guide") }
                }
            }
        }
    }
}
