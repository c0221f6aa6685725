import QtQuick
import QtQuick.Controls.Basic

// An on/off switch whose words say what a tap does (放大字 / 恢复小字), not the state it is in;
// while on, it is drawn filled, so the state shows too (and not by colour alone: by its words).
AbstractButton {
    id: control
    property string offLabel: ""  // shown while off: what a tap turns on
    property string onLabel: ""   // shown while on: what a tap goes back to
    checkable: false
    text: control.checked ? control.onLabel : control.offLabel
    implicitWidth: Math.max(Theme.target * 1.6, content.implicitWidth + 40)
    implicitHeight: Theme.target
    background: Rectangle {
        radius: 12
        color: control.checked ? Theme.card : "transparent"
        border.color: Theme.brandInk
        border.width: 3
    }
    contentItem: Item {
        Text {
            id: content
            anchors.centerIn: parent
            text: control.text
            color: control.checked ? Theme.brand : Theme.brandInk  // ≥ 7:1 on white and on the bar
            font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true
        }
    }
}
