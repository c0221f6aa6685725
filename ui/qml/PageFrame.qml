import QtQuick
import QtQuick.Layouts
import QtQuick.Window

// Every screen: a title, its content, and a big 返回 and 首页 at the bottom.
Item {
    id: frame
    property string title: ""
    property string spoken: ""  // said when the page opens (Main.qml), if voice is on
    property bool showBack: true
    default property alias content: body.flickableData
    property alias actions: actionRow.data

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap
        Text {
            text: frame.title
            visible: frame.title !== ""
            font.family: Theme.font
            font.pixelSize: Theme.title
            font.bold: true
            color: Theme.ink
            Layout.fillWidth: true
            wrapMode: Text.Wrap  // a long title takes two lines, never cut with "…"
        }
        // The page's content. While the on-screen keyboard takes the lower part of the screen,
        // content taller than what is left moves up to keep the field being typed in in view,
        // and never runs under 返回 and 首页.
        Flickable {
            id: body
            objectName: "pageBody"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            interactive: false  // it moves with the focus; the villager never has to drag it
            contentWidth: width
            contentHeight: Math.max(height, natural)
            // The tallest visible child's own (implicit) height: what the page would need.
            readonly property real natural: {
                let h = 0
                for (let i = 0; i < contentItem.children.length; ++i) {
                    const c = contentItem.children[i]
                    if (c.visible) h = Math.max(h, c.implicitHeight)
                }
                return h
            }
            function keepInView(item) {
                if (!item || contentHeight <= height) { contentY = 0; return }
                let p = item
                while (p && p !== contentItem) p = p.parent
                if (!p) return  // not on this page
                const top = item.mapToItem(contentItem, 0, 0).y
                const bottom = top + item.height
                if (bottom > contentY + height) contentY = Math.min(contentHeight - height, bottom - height + Theme.gap)
                else if (top < contentY) contentY = Math.max(0, top - Theme.gap)
            }
            onHeightChanged: keepInView(Window.activeFocusItem)
            Connections {
                target: frame.Window.window
                function onActiveFocusItemChanged() { body.keepInView(frame.Window.window.activeFocusItem) }
            }
        }
        // 返回 and 首页 always in the same place; the page's own actions to the right of them, or
        // on their own line (wrapping) when the screen is too narrow (portrait).
        GridLayout {
            Layout.fillWidth: true
            columns: Theme.portrait ? 1 : 2
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap
            Row {
                spacing: Theme.gap
                BigButton {
                    objectName: "backButton"
                    visible: frame.showBack && NavModel.canGoBack
                    text: qsTr("返回"); iconName: "back"; primaryStyle: false
                    onClicked: NavModel.back()
                }
                BigButton {
                    objectName: "homeButton"
                    text: qsTr("首页"); iconName: "home"; primaryStyle: false
                    onClicked: NavModel.home()
                }
            }
            Item {
                Layout.fillWidth: true
                implicitHeight: actionRow.height
                Flow {
                    id: actionRow
                    anchors.right: parent.right
                    spacing: Theme.gap
                    // As wide as the visible actions need, at most the whole line (then it wraps).
                    width: {
                        let w = 0, n = 0
                        for (let i = 0; i < children.length; ++i)
                            if (children[i].visible) { w += children[i].implicitWidth; n += 1 }
                        return Math.min(parent.width, w + Math.max(0, n - 1) * spacing)
                    }
                }
            }
        }
    }
}
