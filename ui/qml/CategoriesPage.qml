import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "categoriesPage"
    title: qsTr("请选择办事类别")
    spoken: qsTr("请点击办事类别，或者点右下角搜索")
    actions: [
        BigButton {
            objectName: "searchButton"
            text: qsTr("搜索事项"); iconName: "search"
            onClicked: NavModel.go("search")
        }
    ]
    ScrollPane {
        anchors.fill: parent
        contentHeight: grid.implicitHeight
        GridLayout {
            id: grid
            width: parent.width
            columns: Theme.portrait ? 2 : 4
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: GuideModel.categories
                Tile {
                    id: categoryTile
                    required property var modelData
                    objectName: "category_" + modelData.code
                    // The catalog names a category's icon with an emoji; the kiosk draws its own.
                    iconName: ({ "🛡": "shield", "⚕": "medical", "🤝": "people", "👶": "child", "🪪": "card",
                                 "💼": "briefcase", "⭐": "star", "🏠": "home", "♿": "wheelchair",
                                 "⚖": "scales", "👴": "elder" })[modelData.icon] || "folder"
                    label: modelData.name
                    hint: modelData.count + qsTr("项")
                    iconSize: Theme.title
                    Layout.fillWidth: true
                    Layout.preferredHeight: 200
                    onClicked: { GuideModel.openCategory(modelData.code); NavModel.go("items") }
                }
            }
        }
    }
}
