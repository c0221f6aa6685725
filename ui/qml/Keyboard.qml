import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

// The on-screen keyboard: pinyin for Chinese, letters for initials and case numbers. Main.qml
// loads it the first time a text field asks for it: until then its ~8 MB are not needed.
InputPanel {
    objectName: "keyboard"
    visible: active
    Component.onCompleted: VirtualKeyboardSettings.locale = "zh_CN"
}
