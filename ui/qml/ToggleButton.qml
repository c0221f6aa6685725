import QtQuick
import QtQuick.Controls.Basic

// An on/off switch that says its state in words and a mark, not by colour alone.
AbstractButton {
    id: control
    property string label: ""
    checkable: false
    implicitWidth: Math.max(Theme.target * 1.6, content.implicitWidth + 40)
    implicitHeight: Theme.target
    background: Rectangle {
        radius: 12
        color: control.checked ? Theme.card : "transparent"
        border.color: control.enabled ? Theme.brandInk : "#B0B0B0"
        border.width: 3
    }
    contentItem: Item {
        Text {
            id: content
            anchors.centerIn: parent
            text: (control.checked ? "✔ " : "") + control.label + (control.enabled ? (control.checked ? qsTr(" 开") : qsTr(" 关")) : "")
            color: control.checked ? Theme.brand : (control.enabled ? Theme.brandInk : "#EDEDED")  // still ≥ 7:1 on the bar
            font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true
        }
    }
}
