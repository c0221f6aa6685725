pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    objectName: "searchPage"
    title: Theme.keyboardUp ? "" : qsTr("搜索办事事项")
    spoken: qsTr("请用下方键盘输入事项名称，可以打拼音，也可以只打拼音首字母")
    Component.onCompleted: searchField.forceActiveFocus()
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            TextField {
                id: searchField
                objectName: "searchField"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.target
                placeholderText: qsTr("例如：养老、医保、ylbx")
                placeholderTextColor: Theme.inkSoft
                font.family: Theme.font; font.pixelSize: Theme.primary
                inputMethodHints: Qt.ImhNoPredictiveText
                // Pinyin being composed on the keyboard (before a character is picked) searches
                // too: tapping y-l-b-x finds 医疗保险 at once, as the initials search promises.
                onTextChanged: GuideModel.search(text + preeditText)
                onPreeditTextChanged: GuideModel.search(text + preeditText)
            }
            BigButton {
                objectName: "clearSearch"
                primaryStyle: false
                text: qsTr("清空")
                onClicked: searchField.text = ""
            }
        }
        Text {
            objectName: "searchHint"
            visible: GuideModel.query !== "" && GuideModel.results.length === 0
            text: GuideModel.searchReady
                  ? qsTr("没有找到相关事项。可以换个说法，或者请代办员帮忙。")
                  : qsTr("正在准备搜索，请稍等……")
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink
            Layout.fillWidth: true; wrapMode: Text.Wrap
        }
        ScrollPane {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: implicitHeight
            contentHeight: list.implicitHeight
            Column {
                id: list
                width: parent.width
                spacing: Theme.gap
                Repeater {
                    model: GuideModel.results
                    ItemRow {
                        id: resultRow
                        required property var modelData
                        required property int index
                        objectName: "result_" + index
                        width: list.width
                        name: modelData.name
                        detail: modelData.detail
                        onClicked: { GuideModel.openItem(modelData.code); NavModel.go("guide") }
                    }
                }
            }
        }
    }
}
