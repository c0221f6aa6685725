pragma ComponentBehavior: Bound
import QtQuick

PageFrame {
    objectName: "guidePage"
    title: GuideModel.itemName
    spoken: GuideModel.itemName
    actions: [
        BigButton {
            objectName: "readAloudButton"
            visible: AccessModel.voiceAvailable
            primaryStyle: false
            text: qsTr("朗读"); iconName: "speaker"
            onClicked: AccessModel.say(GuideModel.speech)
        },
        BigButton {
            objectName: "printCardButton"
            primaryStyle: false
            text: qsTr("打印明白卡"); iconName: "print"
            onClicked: GuideModel.printCard()
        },
        BigButton {
            objectName: "applyButton"
            text: qsTr("我要办理"); iconName: "apply"
            onClicked: { ApplyModel.start(GuideModel.itemCode); NavModel.go("apply") }
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
                visible: GuideModel.printMessage !== ""
                width: parent.width
                text: GuideModel.printMessage
                font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true; color: Theme.brand; wrapMode: Text.Wrap
            }
            Text { text: GuideModel.itemSummary; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft; width: parent.width; wrapMode: Text.Wrap }
            Repeater {
                model: GuideModel.sections
                Rectangle {
                    id: sectionCard
                    required property var modelData
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
                        Text { text: sectionCard.modelData.title; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.brand }
                        Text { text: sectionCard.modelData.body; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap; lineHeight: 1.2 }
                    }
                }
            }
        }
    }
}
