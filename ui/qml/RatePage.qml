pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    id: page
    objectName: "ratePage"
    title: ProgressModel.ratedLevel ? qsTr("谢谢您的评价！")
         : page.confirming ? qsTr("您选的是这个，对吗？")
         : qsTr("请为这次办事打分")
    spoken: qsTr("请为这次办事打分")
    // A choice only selects; nothing is saved until the villager taps 确认 (a stray touch, or
    // leaving the kiosk, gives no rating). A low choice first asks why, then asks to confirm.
    property int chosen: 0
    property string reason: ""
    property bool reasonDone: false
    property bool sending: false
    readonly property var chosenLevel: ProgressModel.levels.find(l => l.level === page.chosen)
    readonly property bool needsReason: chosen > 0 && chosen <= 2
    readonly property bool asksReason: needsReason && !reasonDone && !ProgressModel.ratedLevel
    readonly property bool confirming: chosen > 0 && !asksReason && !ProgressModel.ratedLevel
    readonly property bool choosing: chosen === 0 && !ProgressModel.ratedLevel

    function choose(level, label) {
        page.chosen = level
        page.reason = ""
        page.reasonDone = false
        AccessModel.say(label)
    }
    function rechoose() {
        page.chosen = 0
        page.reason = ""
        page.reasonDone = false
        page.sending = false
    }
    function confirm() {
        page.sending = true
        ProgressModel.rate(page.chosen, page.needsReason ? page.reason : "")
    }
    // The rating device's buttons (服务评价器) work on this same screen: a press selects, as a
    // tap does; it never confirms.
    Connections {
        target: ProgressModel
        function onLevelPressed(level) {
            if (ProgressModel.ratedLevel || page.asksReason || page.sending) return
            const lv = ProgressModel.levels.find(l => l.level === level)
            if (lv) page.choose(lv.level, lv.label)
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Text {
            visible: !ProgressModel.ratedLevel
            text: ProgressModel.itemName + "（" + ProgressModel.caseNo + "）"
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft
            Layout.fillWidth: true; wrapMode: Text.Wrap  // a long name and its number: two lines, never past the page
        }
        // Five equal cards: side by side in landscape; in portrait, one above the other, each
        // face beside its words (five side by side leave no room for 非常不满意).
        GridLayout {
            visible: page.choosing
            Layout.fillWidth: true
            Layout.fillHeight: Theme.portrait
            Layout.preferredHeight: 360
            columns: Theme.portrait ? 1 : 5
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: ProgressModel.levels
                AbstractButton {
                    id: levelButton
                    required property var modelData
                    objectName: "level_" + modelData.level
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 100  // equal shares: no level looks more important
                    padding: 16
                    onClicked: page.choose(modelData.level, modelData.label)
                    background: Rectangle { radius: 24; color: levelButton.down ? "#DCE7F3" : Theme.card; border.color: levelButton.modelData.low ? Theme.bad : Theme.brand; border.width: 4 }
                    contentItem: Item {
                        Grid {
                            anchors.centerIn: parent
                            columns: Theme.portrait ? 2 : 1
                            spacing: Theme.portrait ? Theme.gap * 2 : 16
                            horizontalItemAlignment: Grid.AlignHCenter
                            verticalItemAlignment: Grid.AlignVCenter
                            Text { id: face; text: levelButton.modelData.face; font.pixelSize: Theme.portrait ? 90 : 110 }
                            Text {
                                width: Math.min(implicitWidth, levelButton.availableWidth - (Theme.portrait ? face.width + Theme.gap * 2 : 0))
                                text: levelButton.modelData.label; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink
                                wrapMode: Text.Wrap; horizontalAlignment: Text.AlignHCenter
                            }
                        }
                    }
                }
            }
        }
        // A low rating asks why, with big choices; the county follows it up (回访).
        Text {
            visible: page.asksReason
            text: qsTr("很抱歉让您不满意。请选择原因，我们会回访并整改：")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink
            Layout.fillWidth: true; wrapMode: Text.Wrap
        }
        GridLayout {
            visible: page.asksReason
            Layout.fillWidth: true
            columns: Theme.portrait ? 2 : 3  // three abreast leave no room in portrait 大字
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: ProgressModel.lowReasons
                BigButton {
                    id: reasonButton
                    required property var modelData
                    required property int index
                    objectName: "reason_" + index
                    Layout.fillWidth: true
                    text: modelData
                    primaryStyle: page.reason === modelData
                    iconName: page.reason === modelData ? "check" : ""
                    onClicked: page.reason = modelData
                }
            }
        }
        RowLayout {
            visible: page.asksReason
            spacing: Theme.gap
            BigButton {
                objectName: "reasonBack"
                primaryStyle: false
                text: qsTr("重新选择")
                onClicked: page.rechoose()
            }
            BigButton {
                objectName: "reasonNext"
                enabled: page.reason !== ""
                text: qsTr("下一步"); iconName: "forward"
                onClicked: page.reasonDone = true
            }
        }
        // The choice, shown large, and the two ways on: 确认 saves it, 重选 goes back.
        Rectangle {
            objectName: "chosenCard"
            visible: page.confirming
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Math.min(parent.width, 760)
            Layout.preferredHeight: chosenCol.implicitHeight + 32
            radius: 24; color: Theme.card
            border.color: page.needsReason ? Theme.bad : Theme.brand; border.width: 6
            Column {
                id: chosenCol
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 16 }
                spacing: 8
                Text {
                    text: page.chosenLevel ? page.chosenLevel.face : ""
                    font.pixelSize: Theme.textScale > 1 ? 110 : 160; anchors.horizontalCenter: parent.horizontalCenter
                }
                Text {
                    objectName: "chosenLabel"
                    text: page.chosenLevel ? page.chosenLevel.label : ""
                    font.family: Theme.font; font.pixelSize: Theme.huge; font.bold: true; color: Theme.ink
                    anchors.horizontalCenter: parent.horizontalCenter
                }
                Text {
                    objectName: "chosenReason"
                    visible: page.needsReason && page.reason !== ""
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("原因：") + page.reason
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                }
            }
        }
        RowLayout {
            visible: page.confirming
            Layout.alignment: Qt.AlignHCenter
            spacing: Theme.gap * 2
            BigButton {
                objectName: "rechooseRating"
                primaryStyle: false
                Layout.preferredWidth: 360; Layout.preferredHeight: Theme.target + 24
                font.pixelSize: Theme.title
                text: qsTr("重选")
                onClicked: page.rechoose()
            }
            BigButton {
                objectName: "confirmRating"
                enabled: !page.sending || ProgressModel.ratingError !== ""
                Layout.preferredWidth: 360; Layout.preferredHeight: Theme.target + 24
                font.pixelSize: Theme.title
                text: qsTr("确认"); iconName: "check"
                onClicked: page.confirm()
            }
        }
        Text {
            objectName: "ratingThanks"
            visible: ProgressModel.ratedLevel > 0
            text: qsTr("您的评价“") + ProgressModel.ratedLabel + qsTr("”已经记下，会报给县政务服务中心。")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.good
            Layout.fillWidth: true; wrapMode: Text.Wrap
        }
        Text {
            visible: ProgressModel.ratingError !== ""
            text: "⚠ " + ProgressModel.ratingError
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad
            Layout.fillWidth: true; wrapMode: Text.Wrap
        }
        Item { Layout.fillHeight: true }
    }
}
