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
        RowLayout {
            Layout.fillWidth: true
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
            Item { Layout.fillWidth: true }
            Row { id: actionRow; spacing: Theme.gap }
        }
    }
}
