import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Controls.impl

// A large, high-contrast button: an optional icon before its words. `iconName` names one of the
// kiosk's own SVG icons (assets/icons/<iconName>.svg), tinted in the button's text colour; never
// a colour emoji (a font's calendar emoji carries an English date).
Button {
    id: control
    property string iconName: ""
    property bool primaryStyle: true
    property color tint: Theme.brand
    // Disabled: dark grey on light grey (still ≥ 7:1), never white on mid-grey.
    readonly property color textColor: !enabled ? "#404040" : primaryStyle ? Theme.brandInk : tint
    implicitHeight: Math.max(Theme.target, contentItem.implicitHeight + 32)
    implicitWidth: Math.max(240, contentItem.implicitWidth + 64)
    font.family: Theme.font
    font.pixelSize: Theme.primary
    font.bold: true
    contentItem: Item {
      implicitWidth: row.implicitWidth
      implicitHeight: row.implicitHeight
      Row {
        id: row
        spacing: 16
        anchors.centerIn: parent
        IconImage {
            objectName: "buttonIcon"
            visible: control.iconName !== ""
            source: control.iconName !== "" ? Qt.resolvedUrl("../../assets/icons/" + control.iconName + ".svg") : ""
            width: Math.round(control.font.pixelSize * 1.2)
            height: width
            sourceSize.width: width
            sourceSize.height: height
            color: control.textColor
            anchors.verticalCenter: parent.verticalCenter
        }
        Text {
            text: control.text
            font: control.font
            color: control.textColor
            anchors.verticalCenter: parent.verticalCenter
        }
      }
    }
    background: Rectangle {
        radius: 16
        color: !control.enabled ? "#E2E2E2" : control.primaryStyle ? (control.down ? Qt.darker(control.tint, 1.3) : control.tint) : (control.down ? "#E4E4E4" : Theme.card)
        border.color: control.enabled ? control.tint : "#707070"
        border.width: 4
    }
}
