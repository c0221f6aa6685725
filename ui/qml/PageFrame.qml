import QtQuick
import QtQuick.Layouts

// Every screen: a title, its content, and a big 返回 and 首页 at the bottom.
Item {
    id: frame
    property string title: ""
    property bool showBack: true
    default property alias content: body.data
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
            elide: Text.ElideRight
        }
        Item { id: body; Layout.fillWidth: true; Layout.fillHeight: true }
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
                    visible: frame.showBack && navModel.canGoBack
                    text: qsTr("返回"); glyph: "◀"; primaryStyle: false
                    onClicked: navModel.back()
                }
                BigButton {
                    objectName: "homeButton"
                    text: qsTr("首页"); glyph: "⌂"; primaryStyle: false
                    onClicked: navModel.home()
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
