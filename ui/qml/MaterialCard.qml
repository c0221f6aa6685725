pragma ComponentBehavior: Bound
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
            visible: !card.oneLine || card.row.cardRead
            width: parent.width
            spacing: Theme.gap
            Text {
                text: card.row.complete ? "✔" : "○"
                font.family: Theme.font; font.pixelSize: Theme.primary; color: card.row.complete ? Theme.good : Theme.inkSoft
            }
            Text {
                objectName: "materialTitle_" + card.row.index
                Layout.fillWidth: true
                text: card.title + (card.row.cardRead ? qsTr("：已读取身份证，不用拍照")
                                    : card.row.multi ? qsTr("：共%1页，已拍%2页").arg(card.row.pageCount).arg(card.row.done) : "")
                font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true; color: card.row.cardRead ? Theme.good : Theme.ink; wrapMode: Text.Wrap
            }
        }
        Repeater {
            model: card.row.pages
            RowLayout {
                id: pageRow
                required property var modelData
                width: col.width
                spacing: Theme.gap
                Text {
                    Layout.fillWidth: true
                    Layout.leftMargin: card.row.multi && !Theme.portrait ? Theme.gap * 2 : 0
                    text: card.oneLine
                          ? (pageRow.modelData.captured ? "✔ " : "○ ") + card.title + (pageRow.modelData.captured ? qsTr("  已拍好") : "")
                          : card.row.multi ? (pageRow.modelData.captured ? "✔ " : "○ ") + pageRow.modelData.label
                                      : (pageRow.modelData.captured ? qsTr("已拍好") : qsTr("还没拍"))
                    font.family: Theme.font; font.pixelSize: Theme.body
                    font.bold: card.row.multi
                    color: pageRow.modelData.captured ? Theme.good : Theme.ink
                    wrapMode: Text.Wrap
                }
                Image {
                    visible: pageRow.modelData.captured
                    source: pageRow.modelData.photo
                    Layout.preferredHeight: Theme.target
                    Layout.preferredWidth: Theme.target * 1.3
                    fillMode: Image.PreserveAspectFit
                    asynchronous: true
                }
                BigButton {
                    objectName: pageRow.modelData.page === 1 ? "capture_" + card.row.index : "capture_" + card.row.index + "_" + pageRow.modelData.page
                    primaryStyle: !pageRow.modelData.captured
                    enabled: !card.vm.busy
                    text: pageRow.modelData.capturing ? qsTr("正在拍…") : (pageRow.modelData.captured ? qsTr("重拍") : qsTr("拍照"))
                    iconName: "camera"
                    onClicked: card.vm.capturePage(card.row.index, pageRow.modelData.page)
                }
                BigButton {
                    objectName: "remove_" + card.row.index + "_" + pageRow.modelData.page
                    visible: pageRow.modelData.captured
                    primaryStyle: false
                    tint: Theme.bad
                    enabled: !card.vm.busy
                    text: qsTr("删除")
                    onClicked: card.vm.removePage(card.row.index, pageRow.modelData.page)
                }
            }
        }
    }
}
