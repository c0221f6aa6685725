import QtQuick
import QtQuick.Layouts

// Two home tiles open this page under their own names (ui/models/nav.py): 办事指南 (categories)
// to read a guide, 我要办理 (applyStart) to start an application; each has its title and words.
PageFrame {
    id: page
    readonly property bool applying: NavModel.page === "applyStart"
    objectName: applying ? "applyStartPage" : "categoriesPage"
    title: applying ? qsTr("我要办理：您要办什么事？") : qsTr("办事指南：请选择类别")
    spoken: applying ? qsTr("您要办什么事？请点它属于的类别，找到后看清要带什么，再点我要办理")
                     : qsTr("想看看办事要带什么？请点办事类别，或者点右下角搜索")
    actions: [
        BigButton {
            objectName: "searchButton"
            text: qsTr("搜索事项"); iconName: "search"
            onClicked: NavModel.go("search")
        }
    ]
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Text {
            objectName: page.applying ? "applySteps" : "guideIntro"
            Layout.fillWidth: true
            text: page.applying
                  ? qsTr("① 点类别，找到要办的事　② 看清要带什么　③ 点“我要办理”，刷身份证")
                  : qsTr("点类别，看办事指南：谁可以办、要带什么、要多久。可以打印明白卡带回家。")
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
        }
        ScrollPane {
            Layout.fillWidth: true
            Layout.fillHeight: true
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
                        Layout.preferredHeight: Math.max(200, implicitHeight)  // 大字: a long name wraps
                        onClicked: { GuideModel.openCategory(modelData.code); NavModel.go("items") }
                    }
                }
            }
        }
    }
}
