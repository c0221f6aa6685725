import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "guidePage"
    title: guideModel.itemName
    property string spoken: guideModel.itemName
    actions: [
        BigButton {
            objectName: "readAloudButton"
            visible: accessModel.voiceAvailable
            primaryStyle: false
            text: qsTr("朗读"); glyph: "🔊"
            onClicked: accessModel.say(guideModel.speech)
        },
        BigButton {
            objectName: "printCardButton"
            primaryStyle: false
            text: qsTr("打印明白卡"); glyph: "🖨"
            onClicked: guideModel.printCard()
        },
        BigButton {
            objectName: "applyButton"
            text: qsTr("我要办理"); glyph: "✍"
            onClicked: { applyModel.start(guideModel.itemCode); navModel.go("apply") }
        }
    ]
    ScrollPane {
        anchors.fill: parent
        contentHeight: sections.implicitHeight
        Column {
            id: sections
            width: parent.width
            spacing: Theme.gap
            Text {
                objectName: "guidePrintMessage"
                visible: guideModel.printMessage !== ""
                width: parent.width
                text: "🖨 " + guideModel.printMessage
                font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true; color: Theme.brand; wrapMode: Text.Wrap
            }
            Text { text: guideModel.itemSummary; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft; width: parent.width; wrapMode: Text.Wrap }
            Repeater {
                model: guideModel.sections
                Rectangle {
                    width: sections.width
                    height: sec.implicitHeight + 40
                    radius: 16
                    color: Theme.card
                    border.color: Theme.line
                    border.width: 2
                    Column {
                        id: sec
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 20 }
                        spacing: 8
                        Text { text: modelData.title; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.brand }
                        Text { text: modelData.body; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap; lineHeight: 1.2 }
                    }
                }
            }
        }
    }
}
