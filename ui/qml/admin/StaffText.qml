import QtQuick
import ".."

// Body text on staff screens: never below the kiosk's minimum size.
Text {
    font.family: Theme.font
    font.pixelSize: Theme.body
    color: Theme.ink
    wrapMode: Text.Wrap
}
