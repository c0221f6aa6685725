pragma Singleton
import QtQuick

// Sizes and colours for a standing, elderly villager on a 1920×1080 21.5" screen.
// Every colour pair used for text is ≥ 7:1; colour is never the only cue (icons and words too).
QtObject {
    property real textScale: 1.0          // 大字 mode sets 1.25
    property bool portrait: false         // the window is taller than wide
    property bool keyboardUp: false       // the on-screen keyboard is showing (Main.qml)
    readonly property string font: "Noto Sans CJK SC"
    readonly property int body: Math.round(30 * textScale)
    readonly property int primary: Math.round(42 * textScale)
    readonly property int title: Math.round(52 * textScale)
    readonly property int huge: Math.round(72 * textScale)
    readonly property int target: 96       // minimum touch target height
    readonly property int gap: 24          // space between targets
    readonly property int margin: 40
    readonly property color paper: "#F4F1EA"
    readonly property color ink: "#1B1B1B"
    readonly property color inkSoft: "#3A3A3A"
    readonly property color brand: "#0A4C8C"
    readonly property color brandInk: "#FFFFFF"
    readonly property color card: "#FFFFFF"
    readonly property color good: "#0B5D1E"
    readonly property color warn: "#7A3E00"
    readonly property color bad: "#8B1010"
    readonly property color line: "#5A5A5A"
}
