import QtQuick
import QtQuick.Layouts

// One material to photograph with the document camera (高拍仪), page by page: each page is
// photographed, retaken or removed on its own. `row` is one entry of a view-model's `materials`
// (ui.models.apply.MaterialPages.rows); `vm` has capturePage(index, page), removePage(index,
// page) and busy. Buttons: capture_<i> for a material's first page, capture_<i>_<p> for its
// page p ≥ 2, remove_<i>_<p> for every page.
Rectangle {
    id: card
    property var row
    property var vm
    // A one-page material fits on one line on a wide screen; otherwise its name heads the card.
    readonly property bool oneLine: !row.multi && width >= 1200
    readonly property string title: row.name + (row.form !== "" ? "（" + row.form + "）" : "")
                                    + (row.required ? "" : qsTr("（如有）"))
    implicitHeight: col.implicitHeight + 24
    radius: 12; color: Theme.card
    border.color: row.complete ? Theme.good : Theme.line; border.width: 3

    Column {
        id: col
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 12 }
        spacing: Theme.gap  // between the pages' buttons too
        RowLayout {
            visible: !card.oneLine
            width: parent.width
            spacing: Theme.gap
            Text {
                text: row.complete ? "✔" : "○"
                font.family: Theme.font; font.pixelSize: Theme.primary; color: row.complete ? Theme.good : Theme.inkSoft
            }
            Text {
                objectName: "materialTitle_" + row.index
                Layout.fillWidth: true
                text: card.title + (row.multi ? qsTr("：共%1页，已拍%2页").arg(row.pageCount).arg(row.done) : "")
                font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
        Repeater {
            model: row.pages
            RowLayout {
                width: col.width
                spacing: Theme.gap
                Text {
                    Layout.fillWidth: true
                    Layout.leftMargin: row.multi && !Theme.portrait ? Theme.gap * 2 : 0
                    text: card.oneLine
                          ? (modelData.captured ? "✔ " : "○ ") + card.title + (modelData.captured ? qsTr("  已拍好") : "")
                          : row.multi ? (modelData.captured ? "✔ " : "○ ") + modelData.label
                                      : (modelData.captured ? qsTr("已拍好") : qsTr("还没拍"))
                    font.family: Theme.font; font.pixelSize: Theme.body
                    font.bold: row.multi
                    color: modelData.captured ? Theme.good : Theme.ink
                    wrapMode: Text.Wrap
                }
                Image {
                    visible: modelData.captured
                    source: modelData.photo
                    Layout.preferredHeight: Theme.target
                    Layout.preferredWidth: Theme.target * 1.3
                    fillMode: Image.PreserveAspectFit
                    asynchronous: true
                }
                BigButton {
                    objectName: modelData.page === 1 ? "capture_" + row.index : "capture_" + row.index + "_" + modelData.page
                    primaryStyle: !modelData.captured
                    enabled: !card.vm.busy
                    text: modelData.capturing ? qsTr("正在拍…") : (modelData.captured ? qsTr("重拍") : qsTr("拍照"))
                    glyph: "📷"
                    onClicked: card.vm.capturePage(row.index, modelData.page)
                }
                BigButton {
                    objectName: "remove_" + row.index + "_" + modelData.page
                    visible: modelData.captured
                    primaryStyle: false
                    tint: Theme.bad
                    enabled: !card.vm.busy
                    text: qsTr("删除")
                    onClicked: card.vm.removePage(row.index, modelData.page)
                }
            }
        }
    }
}
