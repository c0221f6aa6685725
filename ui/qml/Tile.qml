import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Controls.impl

// A home-screen tile: a big pictogram, big words, a line of explanation.
// The pictogram is one of the kiosk's own SVG icons (assets/icons/<iconName>.svg), tinted in the
// brand colour; never a colour emoji (a font's calendar emoji carries an English date).
// Its words stay inside its frame: they wrap when the tile is narrow, and when the tile is too
// short for the pictogram above the words (大字 in landscape), a smaller one goes beside them.
AbstractButton {
    id: tile
    property string iconName: ""
    property string label: ""
    property string hint: ""
    property int iconSize: Theme.huge
    // The pictogram beside the words: as tall as a line of them.
    readonly property int besideSize: Math.round(Theme.primary * 1.2)
    readonly property real hintHeight: tile.hint !== "" ? hintText.height + column.spacing : 0
    readonly property bool fitsBeside: tile.iconName !== "" && labelText.implicitWidth + besideSize + row.spacing <= availableWidth
    readonly property bool stacked: !fitsBeside || availableHeight >= iconSize + column.spacing + labelText.height + hintHeight
    padding: 16
    implicitWidth: 400
    // What the pictogram above the words needs (a page may give less; see `stacked`).
    implicitHeight: topPadding + bottomPadding + (iconName !== "" ? iconSize + column.spacing : 0) + labelText.height + hintHeight
    background: Rectangle {
        radius: 24
        color: tile.down ? "#DCE7F3" : Theme.card
        border.color: Theme.brand
        border.width: 4
    }
    contentItem: Item {
      Column {
        id: column
        spacing: 8
        width: parent.width
        anchors.centerIn: parent
        IconImage {
            objectName: "tileIcon"
            visible: tile.iconName !== "" && tile.stacked
            // Only the icon shown is read and drawn (an SVG each, on the first frame).
            source: tile.iconName !== "" && tile.stacked
                    ? Qt.resolvedUrl("../../assets/icons/" + tile.iconName + ".svg") : ""
            width: tile.iconSize
            height: tile.iconSize
            sourceSize.width: tile.iconSize
            sourceSize.height: tile.iconSize
            color: Theme.brand
            anchors.horizontalCenter: parent.horizontalCenter
        }
        Row {
            id: row
            spacing: 16
            anchors.horizontalCenter: parent.horizontalCenter
            IconImage {
                visible: tile.iconName !== "" && !tile.stacked
                source: tile.iconName !== "" && !tile.stacked
                        ? Qt.resolvedUrl("../../assets/icons/" + tile.iconName + ".svg") : ""
                width: tile.besideSize
                height: tile.besideSize
                sourceSize.width: tile.besideSize
                sourceSize.height: tile.besideSize
                color: Theme.brand
                anchors.verticalCenter: parent.verticalCenter
            }
            Text {
                id: labelText
                width: Math.min(implicitWidth, column.width)
                text: tile.label; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink
                wrapMode: Text.Wrap; horizontalAlignment: Text.AlignHCenter
            }
        }
        Text {
            id: hintText
            width: Math.min(implicitWidth, column.width)
            text: tile.hint; visible: tile.hint !== ""; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft
            wrapMode: Text.Wrap; horizontalAlignment: Text.AlignHCenter
            anchors.horizontalCenter: parent.horizontalCenter
        }
      }
    }
}
