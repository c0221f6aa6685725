import QtQuick
import QtQuick.Controls.Basic

// One service item in a list: its name big, below it how long and who handles it, in plain words.
// Both wrap, never cut with "…": a long name (城乡居民基本养老保险缴费档次变更 in portrait 大字)
// takes a second line and the row grows with it.
AbstractButton {
    id: row
    property string name: ""
    property string detail: ""
    implicitHeight: col.implicitHeight + 40
    background: Rectangle { radius: 16; color: row.down ? "#DCE7F3" : Theme.card; border.color: Theme.brand; border.width: 3 }
    contentItem: Item {
        Column {
            id: col
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; leftMargin: 20; rightMargin: 20 }
            spacing: 8
            Text { text: row.name; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap; width: parent.width }
            Text { text: row.detail; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft; width: parent.width; wrapMode: Text.Wrap }
        }
    }
}
