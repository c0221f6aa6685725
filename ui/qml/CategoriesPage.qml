import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "categoriesPage"
    title: qsTr("请选择办事类别")
    ScrollPane {
        anchors.fill: parent
        contentHeight: grid.implicitHeight
        GridLayout {
            id: grid
            width: parent.width
            columns: 4
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: guide.categories
                Tile {
                    objectName: "category_" + modelData.code
                    glyph: modelData.icon
                    label: modelData.name
                    hint: modelData.count + qsTr("项")
                    Layout.fillWidth: true
                    Layout.preferredHeight: 240
                    onClicked: { guide.openCategory(modelData.code); nav.go("items") }
                }
            }
        }
    }
}
