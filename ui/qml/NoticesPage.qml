import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "noticesPage"
    title: qsTr("三务公开")
    property string spoken: qsTr("三务公开。请点击您要看的公告")
    Component.onCompleted: noticesModel.refresh()
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Flow {
            Layout.fillWidth: true
            spacing: Theme.gap
            Repeater {
                model: noticesModel.categories
                BigButton {
                    objectName: "noticeCategory_" + (modelData.code || "all")
                    text: modelData.label
                    primaryStyle: noticesModel.category === modelData.code
                    glyph: noticesModel.category === modelData.code ? "✔" : ""
                    onClicked: noticesModel.setCategory(modelData.code)
                }
            }
        }
        Text {
            objectName: "noNotices"
            visible: noticesModel.notices.length === 0
            Layout.fillWidth: true
            text: qsTr("暂时没有公告。党务、村务、财务、政务公开信息由县里发布后会显示在这里。")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
        }
        ScrollPane {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: list.implicitHeight
            Column {
                id: list
                width: parent.width
                spacing: Theme.gap
                Repeater {
                    model: noticesModel.notices
                    ItemRow {
                        objectName: "notice_" + index
                        width: list.width
                        name: modelData.title
                        detail: "【" + modelData.category + "】 " + modelData.date
                        onClicked: { noticesModel.open(modelData.id); navModel.go("notice") }
                    }
                }
            }
        }
    }
}
