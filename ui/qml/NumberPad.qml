pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// The large number pad for ID and phone numbers, keys as large as the staff PIN pad's: 0–9,
// X (for an ID number only), ⌫ and 清空. Main.qml shows it below the page while a NumberField
// has the focus. Its keys never take the focus, so the field keeps it while they are tapped.
// Portrait: a telephone's 3×3 with 0 below, ⌫ and 清空 tall on the right. Landscape: two rows
// (1–5, 6–0), so that the page keeps most of the screen's height above it.
Rectangle {
    id: pad
    objectName: "numberPad"
    property NumberField field: null
    readonly property int keyWidth: 200
    implicitWidth: grid.implicitWidth + 2 * Theme.gap
    implicitHeight: grid.implicitHeight + Theme.gap  // half a gap above and below: landscape needs the room
    color: Theme.paper

    // key: [row, column, rows spanned] in portrait, then in landscape.
    readonly property var places: ({
        "1": [[0, 0, 1], [0, 0, 1]], "2": [[0, 1, 1], [0, 1, 1]], "3": [[0, 2, 1], [0, 2, 1]],
        "4": [[1, 0, 1], [0, 3, 1]], "5": [[1, 1, 1], [0, 4, 1]], "6": [[1, 2, 1], [1, 0, 1]],
        "7": [[2, 0, 1], [1, 1, 1]], "8": [[2, 1, 1], [1, 2, 1]], "9": [[2, 2, 1], [1, 3, 1]],
        "0": [[3, 1, 1], [1, 4, 1]], "X": [[3, 0, 1], [1, 5, 1]],
        "back": [[0, 3, 2], [0, 5, 1]], "clear": [[2, 3, 2], [0, 6, 2]]
    })

    component Key: BigButton {
        id: padKey
        required property string name
        readonly property var place: pad.places[padKey.name][Theme.portrait ? 0 : 1]
        objectName: "padKey" + padKey.name
        implicitWidth: pad.keyWidth
        focusPolicy: Qt.NoFocus
        primaryStyle: false
        Layout.row: place[0]
        Layout.column: place[1]
        Layout.rowSpan: place[2]
        Layout.fillHeight: true
        onClicked: pad.field?.press(padKey.name)
    }

    GridLayout {
        id: grid
        anchors.centerIn: parent
        rowSpacing: Theme.gap
        columnSpacing: Theme.gap
        Key { name: "1"; text: "1" }
        Key { name: "2"; text: "2" }
        Key { name: "3"; text: "3" }
        Key { name: "4"; text: "4" }
        Key { name: "5"; text: "5" }
        Key { name: "6"; text: "6" }
        Key { name: "7"; text: "7" }
        Key { name: "8"; text: "8" }
        Key { name: "9"; text: "9" }
        Key { name: "0"; text: "0" }
        Key { name: "X"; text: "X"; visible: pad.field?.allowX ?? false }
        Key { name: "back"; text: "⌫"; tint: Theme.bad }
        Key { name: "clear"; text: qsTr("清空"); tint: Theme.bad }
    }
}
