pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    id: page
    objectName: "ratePage"
    title: ProgressModel.ratedLevel ? qsTr("谢谢您的评价！") : qsTr("请为这次办事打分")
    spoken: qsTr("请为这次办事打分")
    property int chosen: 0
    property string reason: ""
    readonly property bool needsReason: chosen > 0 && chosen <= 2

    function choose(level, label, low) {
        page.chosen = level
        AccessModel.say(label)
        if (!low) ProgressModel.rate(level, "")
    }
    // The rating device's buttons (服务评价器) work on this same screen.
    Connections {
        target: ProgressModel
        function onLevelPressed(level) {
            if (ProgressModel.ratedLevel || page.needsReason) return
            const lv = ProgressModel.levels.find(l => l.level === level)
            if (lv) page.choose(lv.level, lv.label, lv.low)
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Text {
            visible: !ProgressModel.ratedLevel
            text: ProgressModel.itemName + "（" + ProgressModel.caseNo + "）"
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft
        }
        RowLayout {
            visible: !ProgressModel.ratedLevel && !page.needsReason
            Layout.fillWidth: true
            Layout.preferredHeight: 360
            spacing: Theme.gap
            Repeater {
                model: ProgressModel.levels
                AbstractButton {
                    id: levelButton
                    required property var modelData
                    objectName: "level_" + modelData.level
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 100  // equal shares: no level looks more important
                    onClicked: page.choose(modelData.level, modelData.label, modelData.low)
                    background: Rectangle { radius: 24; color: levelButton.down ? "#DCE7F3" : Theme.card; border.color: levelButton.modelData.low ? Theme.bad : Theme.brand; border.width: 4 }
                    contentItem: Item {
                        Column {
                            anchors.centerIn: parent
                            spacing: 16
                            Text { text: levelButton.modelData.face; font.pixelSize: 110; anchors.horizontalCenter: parent.horizontalCenter }
                            Text { text: levelButton.modelData.label; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; anchors.horizontalCenter: parent.horizontalCenter }
                        }
                    }
                }
            }
        }
        // A low rating asks why, with big choices; the county follows it up (回访).
        Text {
            visible: page.needsReason && !ProgressModel.ratedLevel
            text: qsTr("很抱歉让您不满意。请选择原因，我们会回访并整改：")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink
            Layout.fillWidth: true; wrapMode: Text.Wrap
        }
        GridLayout {
            visible: page.needsReason && !ProgressModel.ratedLevel
            Layout.fillWidth: true
            columns: 3
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
            visible: page.needsReason && !ProgressModel.ratedLevel
            spacing: Theme.gap
            BigButton {
                objectName: "reasonBack"
                primaryStyle: false
                text: qsTr("重新选择")
                onClicked: { page.chosen = 0; page.reason = "" }
            }
            BigButton {
                objectName: "submitRating"
                enabled: page.reason !== ""
                text: qsTr("提交评价"); iconName: "check"
                onClicked: ProgressModel.rate(page.chosen, page.reason)
            }
        }
        Text {
            objectName: "ratingThanks"
            visible: ProgressModel.ratedLevel > 0
            text: qsTr("您的评价“") + ProgressModel.ratedLabel + qsTr("”已保存，会上报县政务服务中心。")
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
