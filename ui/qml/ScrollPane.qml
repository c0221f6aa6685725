import QtQuick

// A flickable area that can also be scrolled with two big buttons: no gesture beyond a tap.
Item {
    id: pane
    default property alias content: flick.flickableData
    property alias contentHeight: flick.contentHeight
    property alias flickable: flick
    readonly property bool scrollable: flick.contentHeight > flick.height + 1
    // Two full-size scroll buttons must fit beside the content.
    implicitHeight: 2 * Theme.target + Theme.gap

    Flickable {
        id: flick
        anchors { left: parent.left; top: parent.top; bottom: parent.bottom; right: buttons.left; rightMargin: pane.scrollable ? Theme.gap : 0 }
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        contentWidth: width
    }
    Column {
        id: buttons
        visible: pane.scrollable
        width: visible ? Theme.target : 0
        anchors { right: parent.right; top: parent.top; bottom: parent.bottom }
        spacing: Theme.gap
        BigButton {
            objectName: "scrollUp"
            width: Theme.target; height: Math.max(Theme.target, (parent.height - Theme.gap) / 2); implicitWidth: Theme.target
            text: "▲"; primaryStyle: false
            enabled: flick.contentY > 0
            onClicked: flick.contentY = Math.max(0, flick.contentY - flick.height * 0.8)
        }
        BigButton {
            objectName: "scrollDown"
            width: Theme.target; height: Math.max(Theme.target, (parent.height - Theme.gap) / 2); implicitWidth: Theme.target
            text: "▼"; primaryStyle: false
            enabled: flick.contentY < flick.contentHeight - flick.height
            onClicked: flick.contentY = Math.min(flick.contentHeight - flick.height, flick.contentY + flick.height * 0.8)
        }
    }
}
