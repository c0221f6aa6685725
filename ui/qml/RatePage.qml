import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    id: page
    objectName: "ratePage"
    title: progressModel.ratedLevel ? qsTr("谢谢您的评价！") : qsTr("请为这次办事打分")
    property string spoken: qsTr("请为这次办事打分")
    property int chosen: 0
    property string reason: ""
    readonly property bool needsReason: chosen > 0 && chosen <= 2

    function choose(level, label, low) {
        page.chosen = level
        accessModel.say(label)
        if (!low) progressModel.rate(level, "")
    }
    // The rating device's buttons (服务评价器) work on this same screen.
    Connections {
        target: progressModel
        function onLevelPressed(level) {
            if (progressModel.ratedLevel || page.needsReason) return
            const lv = progressModel.levels.find(l => l.level === level)
            if (lv) page.choose(lv.level, lv.label, lv.low)
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Text {
            visible: !progressModel.ratedLevel
            text: progressModel.itemName + "（" + progressModel.caseNo + "）"
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft
        }
        RowLayout {
            visible: !progressModel.ratedLevel && !page.needsReason
            Layout.fillWidth: true
            Layout.preferredHeight: 360
            spacing: Theme.gap
            Repeater {
                model: progressModel.levels
                AbstractButton {
                    objectName: "level_" + modelData.level
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 100  // equal shares: no level looks more important
                    onClicked: page.choose(modelData.level, modelData.label, modelData.low)
                    background: Rectangle { radius: 24; color: parent.down ? "#DCE7F3" : Theme.card; border.color: modelData.low ? Theme.bad : Theme.brand; border.width: 4 }
                    contentItem: Item {
                        Column {
                            anchors.centerIn: parent
                            spacing: 16
                            Text { text: modelData.face; font.pixelSize: 110; anchors.horizontalCenter: parent.horizontalCenter }
                            Text { text: modelData.label; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; anchors.horizontalCenter: parent.horizontalCenter }
                        }
                    }
                }
            }
        }
        // A low rating asks why, with big choices; the county follows it up (回访).
        Text {
            visible: page.needsReason && !progressModel.ratedLevel
            text: qsTr("很抱歉让您不满意。请选择原因，我们会回访并整改：")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink
            Layout.fillWidth: true; wrapMode: Text.Wrap
        }
        GridLayout {
            visible: page.needsReason && !progressModel.ratedLevel
            Layout.fillWidth: true
            columns: 3
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: progressModel.lowReasons
                BigButton {
                    objectName: "reason_" + index
                    Layout.fillWidth: true
                    text: modelData
                    primaryStyle: page.reason === modelData
                    glyph: page.reason === modelData ? "✔" : ""
                    onClicked: page.reason = modelData
                }
            }
        }
        RowLayout {
            visible: page.needsReason && !progressModel.ratedLevel
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
                text: qsTr("提交评价"); glyph: "✔"
                onClicked: progressModel.rate(page.chosen, page.reason)
            }
        }
        Text {
            objectName: "ratingThanks"
            visible: progressModel.ratedLevel > 0
            text: qsTr("您的评价“") + progressModel.ratedLabel + qsTr("”已保存，会上报县政务服务中心。")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.good
            Layout.fillWidth: true; wrapMode: Text.Wrap
        }
        Text {
            visible: progressModel.ratingError !== ""
            text: "⚠ " + progressModel.ratingError
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad
            Layout.fillWidth: true; wrapMode: Text.Wrap
        }
        Item { Layout.fillHeight: true }
    }
}
