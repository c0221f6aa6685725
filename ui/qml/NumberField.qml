import QtQuick
import QtQuick.Controls.Basic

// A field for an ID number or a phone number. It takes no input method, so the full on-screen
// keyboard stays down: while it has the focus, Main.qml shows the large number pad
// (NumberPad.qml) for it instead. A hardware keypad types into it too (digits, X, ⌫).
TextField {
    id: field
    // An ID number may end in X; a phone number may not.
    property bool allowX: false
    readOnly: true  // no input method for it: the full keyboard is never asked for
    cursorVisible: activeFocus
    inputMethodHints: Qt.ImhDigitsOnly
    font.family: Theme.font
    font.pixelSize: Theme.primary
    // Filled from the card (disabled), the number is still plain to read: ink, never the style's
    // faded grey (the layout rules measure it on the pixels, ≥ 7:1).
    color: Theme.ink
    // The field the pad types into is plain to see: a thick frame while it has the focus; a field
    // filled from the card has no frame and the page's own background (nothing to type there).
    background: Rectangle {
        color: field.enabled ? Theme.card : Theme.paper
        radius: 8
        border.color: field.activeFocus ? Theme.brand : Theme.line
        border.width: !field.enabled ? 0 : field.activeFocus ? 4 : 2
    }

    // One key of the pad: a digit, "X", "back" or "clear".
    function press(key: string) {
        if (key === "back")
            text = text.slice(0, -1)
        else if (key === "clear")
            text = ""
        else if (/^[0-9]$/.test(key) || (allowX && key === "X"))
            text = text + key  // past maximumLength the field itself drops it
        cursorPosition = text.length
    }
    Keys.onPressed: (event) => {
        const t = event.text.toUpperCase()
        if (event.key === Qt.Key_Backspace || t === "\b") press("back")
        else if (t.length === 1 && t !== "\b") press(t)
        else return
        event.accepted = true
    }
}
