import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    objectName: "progressPage"
    title: progressModel.found ? qsTr("办理进度") : qsTr("进度查询")
    property string spoken: qsTr("请把回执上的二维码对准扫码口")
    actions: [
        BigButton {
            objectName: "rateButton"
            visible: progressModel.canRate
            text: qsTr("去评价"); glyph: "👍"
            onClicked: navModel.go("rate")
        }
    ]
    Connections {
        target: progressModel
        function onRating_offered() { if (navModel.page === "progress") navModel.go("rate") }
    }

    // Not found yet: how to scan, or type the number.
    ColumnLayout {
        anchors.fill: parent
        visible: !progressModel.found
        spacing: Theme.gap
        Rectangle {
            visible: !Qt.inputMethod.visible  // typing the number: the scanning advice can go
            Layout.fillWidth: true
            Layout.preferredHeight: 200
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
            Text {
                anchors.fill: parent; anchors.margins: 24
                text: qsTr("请把受理回执上的二维码对准下方的扫码口，\n听到“嘀”一声就好。")
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
        Text { text: qsTr("没有回执？输入办件编号和身份证号后四位（查投诉建议的答复：输入F开头的查询编号）："); font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink }
        GridLayout {
            columns: Theme.portrait ? 2 : 3
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap
            TextField {
                id: caseNoField
                objectName: "caseNoField"
                placeholderText: qsTr("办件编号")
                placeholderTextColor: Theme.inkSoft
                font.family: Theme.font; font.pixelSize: Theme.primary
                Layout.columnSpan: Theme.portrait ? 2 : 1
                Layout.preferredWidth: 720; Layout.preferredHeight: Theme.target
                inputMethodHints: Qt.ImhLatinOnly | Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText
            }
            TextField {
                id: last4Field
                objectName: "last4Field"
                placeholderText: qsTr("身份证后四位")
                placeholderTextColor: Theme.inkSoft
                font.family: Theme.font; font.pixelSize: Theme.primary
                Layout.preferredWidth: 360; Layout.preferredHeight: Theme.target
                maximumLength: 4
                inputMethodHints: Qt.ImhLatinOnly | Qt.ImhPreferNumbers | Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText
            }
            BigButton {
                objectName: "lookupButton"
                text: qsTr("查询")
                onClicked: progressModel.lookupNumber(caseNoField.text, last4Field.text)
            }
        }
        Rectangle {
            objectName: "feedbackResult"
            visible: progressModel.feedbackFound
            Layout.fillWidth: true
            Layout.preferredHeight: fbCol.implicitHeight + 40
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
            Column {
                id: fbCol
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: 20 }
                spacing: 8
                Text { text: progressModel.feedbackTitle; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.brand }
                Text { text: progressModel.feedbackText; width: parent.width; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap; maximumLineCount: 3; elide: Text.ElideRight }
                Text { objectName: "feedbackAnswer"; text: progressModel.feedbackAnswer; width: parent.width; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap }
            }
        }
        Rectangle {
            objectName: "progressMessage"
            visible: progressModel.message !== ""
            Layout.fillWidth: true
            Layout.preferredHeight: msg.implicitHeight + 40
            radius: 16; color: "#FDECEA"; border.color: Theme.bad; border.width: 3
            Text {
                id: msg
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: "⚠ " + progressModel.message
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
            }
        }
        Item { Layout.fillHeight: true }
    }

    // Found: the case in plain words, then its timeline.
    ScrollPane {
        anchors.fill: parent
        visible: progressModel.found
        contentHeight: details.implicitHeight
        Column {
            id: details
            width: parent.width
            spacing: Theme.gap
            Text { text: qsTr("办件编号：") + progressModel.caseNo; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
            Text { text: qsTr("事项：") + progressModel.itemName; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap }
            Rectangle {
                width: parent.width
                height: statusCol.implicitHeight + 40
                radius: 16
                color: Theme.card
                border.color: progressModel.statusKey === "returned" ? Theme.bad : Theme.brand
                border.width: 4
                Column {
                    id: statusCol
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 20 }
                    spacing: 8
                    Text { objectName: "statusLabel"; text: qsTr("当前状态：") + progressModel.statusLabel; font.family: Theme.font; font.pixelSize: Theme.title; font.bold: true; color: Theme.brand }
                    Text { visible: progressModel.reason !== "" && progressModel.missingText === ""; text: qsTr("说明：") + progressModel.reason; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap }
                    Text {
                        objectName: "missingToBring"
                        visible: progressModel.missingText !== ""
                        width: parent.width
                        text: qsTr("请带来：") + progressModel.missingText
                        font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.warn; wrapMode: Text.Wrap
                    }
                    Text { text: qsTr("下一步：") + progressModel.nextStep; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap }
                    Text { visible: progressModel.promisedText !== ""; text: qsTr("承诺办结：") + progressModel.promisedText; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink }
                    Text {
                        objectName: "photoStatus"
                        visible: progressModel.photoStatus !== ""
                        text: "📷 " + progressModel.photoStatus
                        font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink
                    }
                    Text { visible: progressModel.ratedLabel !== ""; text: qsTr("您的评价：") + progressModel.ratedLabel; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.good }
                }
            }
            Text { text: qsTr("办理记录"); font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
            Repeater {
                model: progressModel.timeline
                Row {
                    spacing: Theme.gap
                    Text { text: "●"; font.pixelSize: Theme.body; color: Theme.brand }
                    Text { text: modelData.time; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft }
                    Text { text: modelData.status + "（" + modelData.text + "）"; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink }
                }
            }
        }
    }
}
