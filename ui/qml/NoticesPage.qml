pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "noticesPage"
    title: qsTr("三务公开")
    spoken: qsTr("三务公开。请点击您要看的公告")
    Component.onCompleted: NoticesModel.refresh()
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Flow {
            Layout.fillWidth: true
            spacing: Theme.gap
            Repeater {
                model: NoticesModel.categories
                BigButton {
                    id: categoryButton
                    required property var modelData
                    objectName: "noticeCategory_" + (modelData.code || "all")
                    text: modelData.label
                    primaryStyle: NoticesModel.category === modelData.code
                    iconName: NoticesModel.category === modelData.code ? "check" : ""
                    onClicked: NoticesModel.setCategory(modelData.code)
                }
            }
        }
        Text {
            objectName: "noNotices"
            visible: NoticesModel.notices.length === 0
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
                    model: NoticesModel.notices
                    ItemRow {
                        id: noticeRow
                        required property var modelData
                        required property int index
                        objectName: "notice_" + index
                        width: list.width
                        name: modelData.title
                        detail: "【" + modelData.category + "】 " + modelData.date
                        onClicked: { NoticesModel.open(modelData.id); NavModel.go("notice") }
                    }
                }
            }
        }
    }
}
