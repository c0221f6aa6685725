pragma ComponentBehavior: Bound
import QtQuick

PageFrame {
    objectName: "itemsPage"
    title: GuideModel.categoryName + " · " + qsTr("请选择事项")
    spoken: qsTr("请点击您要办的事项")
    ScrollPane {
        anchors.fill: parent
        contentHeight: list.implicitHeight
        Column {
            id: list
            width: parent.width
            spacing: Theme.gap
            Repeater {
                model: GuideModel.items
                ItemRow {
                    id: itemEntry
                    required property var modelData
                    objectName: "item_" + modelData.code
                    width: list.width
                    name: modelData.name
                    detail: modelData.detail
                    onClicked: { GuideModel.openItem(modelData.code); NavModel.go("guide") }
                }
            }
        }
    }
}
