import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Controls.impl

// A home-screen tile: a big pictogram, big words, a line of explanation.
// The pictogram is one of the kiosk's own SVG icons (assets/icons/<iconName>.svg), tinted in the
// brand colour; never a colour emoji (a font's calendar emoji carries an English date).
AbstractButton {
    id: tile
    property string iconName: ""
    property string label: ""
    property string hint: ""
    property int iconSize: Theme.huge
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
        IconImage {
            objectName: "tileIcon"
            visible: tile.iconName !== ""
            source: tile.iconName !== "" ? Qt.resolvedUrl("../../assets/icons/" + tile.iconName + ".svg") : ""
            width: tile.iconSize
            height: tile.iconSize
            sourceSize.width: tile.iconSize
            sourceSize.height: tile.iconSize
            color: Theme.brand
            anchors.horizontalCenter: parent.horizontalCenter
        }
        Text { text: tile.label; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; anchors.horizontalCenter: parent.horizontalCenter }
        Text { text: tile.hint; visible: tile.hint !== ""; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft; anchors.horizontalCenter: parent.horizontalCenter }
      }
    }
}
