import QtQuick
import QtQuick.Controls.Basic

// A home-screen tile: big glyph, big words, a line of explanation.
AbstractButton {
    id: tile
    property string glyph: ""
    property string label: ""
    property string hint: ""
    property int glyphSize: Theme.huge
    implicitWidth: 400
    implicitHeight: 300
    background: Rectangle {
        radius: 24
        color: tile.down ? "#DCE7F3" : Theme.card
        border.color: Theme.brand
        border.width: 4
    }
    contentItem: Item {
      Column {
        spacing: 8
        anchors.centerIn: parent
        Text { text: tile.glyph; font.pixelSize: tile.glyphSize; anchors.horizontalCenter: parent.horizontalCenter; color: Theme.brand }
        Text { text: tile.label; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; anchors.horizontalCenter: parent.horizontalCenter }
        Text { text: tile.hint; visible: tile.hint !== ""; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft; anchors.horizontalCenter: parent.horizontalCenter }
      }
    }
}
