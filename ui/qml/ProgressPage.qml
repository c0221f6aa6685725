pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    id: page
    objectName: "progressPage"
    title: ProgressModel.found ? qsTr("办理进度") : ProgressModel.appointmentFound ? qsTr("您的预约") : qsTr("进度查询")
    spoken: qsTr("请把回执上的二维码对准扫码口")
    actions: [
        BigButton {
            objectName: "rateButton"
            visible: ProgressModel.canRate && !ProgressModel.done  // done: offered in the notice
            text: qsTr("评价这次办事"); iconName: "smile"
            onClicked: NavModel.go("rate")
        }
    ]
    Connections {
        target: ProgressModel
        function onChanged() { page.prefill() }
    }
    // Another kiosk's receipt was scanned (perhaps before this page opened): its number is
    // known, the ID's last four are asked.
    function prefill() {
        if (ProgressModel.prefillCaseNo !== "" && caseNoField.text !== ProgressModel.prefillCaseNo) {
            caseNoField.text = ProgressModel.prefillCaseNo
            last4Field.text = ""
            last4Field.forceActiveFocus()
        }
    }
    Component.onCompleted: prefill()

    // Not found yet: how to scan, or type the number.
    ColumnLayout {
        anchors.fill: parent
        visible: !ProgressModel.found && !ProgressModel.appointmentFound
        spacing: Theme.gap
        Rectangle {
            // Typing the number, or an answer to read: the scanning advice can go.
            visible: !Theme.keyboardUp && ProgressModel.message === "" && ProgressModel.hint === ""
            Layout.fillWidth: true
            Layout.preferredHeight: Math.max(200, children[0].implicitHeight + 48)  // its words, wrapped
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
            Text {
                anchors.fill: parent; anchors.margins: 24
                text: qsTr("请把回执上的二维码对准下方的扫码口，\n听到“嘀”一声就好。")
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
        Text { text: qsTr("没有回执？输入办件编号和身份证号后四位（查投诉建议的答复：输入投诉建议回执上的查询号）："); Layout.fillWidth: true; wrapMode: Text.Wrap; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink }
        GridLayout {
            columns: Theme.portrait ? 2 : 3
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap
            TextField {
                id: caseNoField
                objectName: "caseNoField"
                placeholderText: qsTr("办件编号或预约号")
                placeholderTextColor: Theme.inkSoft
                font.family: Theme.font; font.pixelSize: Theme.primary
                Layout.columnSpan: Theme.portrait ? 2 : 1
                Layout.preferredWidth: 720; Layout.preferredHeight: Theme.target
                inputMethodHints: Qt.ImhLatinOnly | Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText
            }
            NumberField {
                id: last4Field
                objectName: "last4Field"
                allowX: true
                placeholderText: qsTr("身份证后四位")
                placeholderTextColor: Theme.inkSoft
                Layout.preferredWidth: 360; Layout.preferredHeight: Theme.target
                maximumLength: 4
            }
            BigButton {
                objectName: "lookupButton"
                text: qsTr("查询")
                enabled: !ProgressModel.busy
                onClicked: ProgressModel.lookupNumber(caseNoField.text, last4Field.text)
            }
        }
        Rectangle {
            objectName: "feedbackResult"
            visible: ProgressModel.feedbackFound
            Layout.fillWidth: true
            Layout.preferredHeight: fbCol.implicitHeight + 40
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
            Column {
                id: fbCol
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: 20 }
                spacing: 8
                Text { text: ProgressModel.feedbackTitle; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.brand }
                Text { text: ProgressModel.feedbackText; width: parent.width; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap; maximumLineCount: 3; elide: Text.ElideRight }
                Text { objectName: "feedbackAnswer"; text: ProgressModel.feedbackAnswer; width: parent.width; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap }
            }
        }
        Rectangle {
            objectName: "progressHint"
            visible: ProgressModel.hint !== ""
            Layout.fillWidth: true
            Layout.preferredHeight: hintText.implicitHeight + 40
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
            Text {
                id: hintText
                objectName: "progressHintText"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: ProgressModel.hint
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
        Rectangle {
            objectName: "progressMessage"
            visible: ProgressModel.message !== ""
            Layout.fillWidth: true
            Layout.preferredHeight: msg.implicitHeight + 40
            radius: 16; color: "#FDECEA"; border.color: Theme.bad; border.width: 3
            Text {
                id: msg
                objectName: "progressMessageText"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: "⚠ " + ProgressModel.message
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
            }
        }
        Item { Layout.fillHeight: true }
    }

    // An appointment (its 预约单 scanned, or its 预约号 typed): the state, then when and where.
    ScrollPane {
        anchors.fill: parent
        visible: ProgressModel.appointmentFound
        contentHeight: apCard.height
        Rectangle {
            id: apCard
            objectName: "appointmentResult"
            width: parent.width
            height: apCol.implicitHeight + 48
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 4
            Column {
                id: apCol
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                spacing: 12
                Text { objectName: "appointmentTitle"; text: ProgressModel.appointmentTitle; width: parent.width; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.brand; wrapMode: Text.Wrap }
                Text { objectName: "appointmentStatus"; text: qsTr("预约状态：") + ProgressModel.appointmentStatus; width: parent.width; font.family: Theme.font; font.pixelSize: Theme.title; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap }
                Text { objectName: "appointmentText"; text: ProgressModel.appointmentText; width: parent.width; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap; lineHeight: 1.2 }
            }
        }
    }

    // Found: where the case is, in large plain words; what to do; each department's part;
    // then its history.
    // Landscape: the case and where it is on the left, what it needs and its history on the
    // right, so neither needs scrolling to be found; portrait: one under the other.
    ScrollPane {
        anchors.fill: parent
        visible: ProgressModel.found
        contentHeight: details.implicitHeight
        Grid {
            id: details
            width: parent.width
            columns: Theme.portrait ? 1 : 2
            columnSpacing: Theme.gap * 2
            rowSpacing: Theme.gap
            readonly property real colWidth: Theme.portrait ? width : (width - columnSpacing) / 2
            Column {
                id: caseCol
                width: details.colWidth
                spacing: Theme.gap
                // 办结: say first that it is done and how to collect the result; the rating is
                // offered from here, never jumped to (issue 18).
                Rectangle {
                    objectName: "doneNotice"
                    visible: ProgressModel.done
                    width: caseCol.width
                    height: doneCol.implicitHeight + 48
                    radius: 16; color: "#E8F5E9"; border.color: Theme.good; border.width: 4
                    Column {
                        id: doneCol
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                        spacing: 16
                        Text {
                            objectName: "doneTitle"
                            width: parent.width
                            text: qsTr("✔ 您的事已经办好了")
                            font.family: Theme.font; font.pixelSize: Theme.title; font.bold: true; color: Theme.good; wrapMode: Text.Wrap
                        }
                        Text {
                            objectName: "doneText"
                            width: parent.width
                            text: ProgressModel.doneText
                            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                        }
                        BigButton {
                            objectName: "doneRateButton"
                            visible: ProgressModel.canRate
                            width: Math.min(doneCol.width, implicitWidth)
                            text: qsTr("评价这次办事"); iconName: "smile"
                            onClicked: NavModel.go("rate")
                        }
                    }
                }
                Rectangle {
                    objectName: "remoteNotice"
                    visible: ProgressModel.remote
                    width: caseCol.width
                    height: remoteText.implicitHeight + 32
                    radius: 16; color: Theme.card; border.color: Theme.line; border.width: 3
                    Text {
                        id: remoteText
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 20 }
                        text: qsTr("这是在别的服务站提交的办件，这里只能查看进度。")
                        font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
                    }
                }
                Text { text: qsTr("办件编号：") + ProgressModel.caseNo; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                Text { text: qsTr("事项：") + ProgressModel.itemName; font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; width: caseCol.width; wrapMode: Text.Wrap }
                Text { visible: ProgressModel.applicant !== ""; text: qsTr("申请人：") + ProgressModel.applicant; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink }
                Rectangle {
                    width: caseCol.width
                    height: statusCol.implicitHeight + 40
                    radius: 16
                    color: Theme.card
                    border.color: ProgressModel.statusKey === "returned" ? Theme.bad : Theme.brand
                    border.width: 4
                    Column {
                        id: statusCol
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 20 }
                        spacing: 12
                        Text { objectName: "statusLabel"; text: qsTr("当前状态：") + ProgressModel.statusLabel; font.family: Theme.font; font.pixelSize: Theme.title; font.bold: true; color: Theme.brand; width: parent.width; wrapMode: Text.Wrap }
                        Text {
                            objectName: "whereNow"
                            visible: ProgressModel.whereText !== ""
                            width: parent.width
                            text: qsTr("现在在哪里：") + ProgressModel.whereText
                            font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
                        }
                        Text {
                            objectName: "pickupPlace"
                            visible: ProgressModel.pickupText !== ""
                            width: parent.width
                            text: qsTr("到哪里取结果：") + ProgressModel.pickupText
                            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                        }
                        Text { visible: ProgressModel.reason !== "" && ProgressModel.missingText === ""; text: qsTr("说明：") + ProgressModel.reason; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap }
                        Text { objectName: "nextStep"; visible: ProgressModel.nextStep !== ""; text: qsTr("下一步：") + ProgressModel.nextStep; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap }
                        Text { objectName: "hoursText"; visible: ProgressModel.hoursText !== ""; text: ProgressModel.hoursText; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; width: parent.width; wrapMode: Text.Wrap }
                        Text { objectName: "promisedText"; visible: ProgressModel.promisedText !== ""; text: ProgressModel.promisedText; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink }
                        Text {
                            objectName: "photoStatus"
                            visible: ProgressModel.photoStatus !== ""
                            text: ProgressModel.photoStatus
                            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink
                        }
                        Text { visible: ProgressModel.ratedLabel !== ""; text: qsTr("您的评价：") + ProgressModel.ratedLabel; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.good }
                    }
                }
            }
            Column {
                id: moreCol
                width: details.colWidth
                spacing: Theme.gap
                // Waiting for materials: what to bring, one per line, and the way to hand them in here.
                Rectangle {
                    objectName: "missingBox"
                    visible: ProgressModel.missingItems.length > 0
                    width: moreCol.width
                    height: missingCol.implicitHeight + 40
                    radius: 16; color: "#FFF3E0"; border.color: Theme.warn; border.width: 4
                    Column {
                        id: missingCol
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 20 }
                        spacing: 12
                        Text {
                            objectName: "missingToBring"
                            width: parent.width
                            text: qsTr("还缺这些材料：") + ProgressModel.missingText
                            font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.warn; wrapMode: Text.Wrap
                        }
                        Repeater {
                            model: ProgressModel.missingItems
                            Text {
                                id: missingLine
                                required property var modelData
                                required property int index
                                width: missingCol.width
                                text: (index + 1) + ". " + modelData
                                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                            }
                        }
                        BigButton {
                            objectName: "supplementButton"
                            visible: ProgressModel.canSupplement
                            width: Math.min(missingCol.width, implicitWidth)
                            text: qsTr("补交材料"); iconName: "camera"
                            onClicked: SupplementModel.start(ProgressModel.caseId)
                        }
                    }
                }
                // A 联办件: each department's part with its own state and date.
                Text { visible: ProgressModel.parts.length > 0; text: qsTr("各部门办理情况"); font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                Repeater {
                    model: ProgressModel.parts
                    Rectangle {
                        id: part
                        required property var modelData
                        required property int index
                        objectName: "part_" + index
                        width: moreCol.width
                        height: partCol.implicitHeight + 32
                        radius: 16; color: Theme.card; border.color: modelData.done ? Theme.good : Theme.line; border.width: 3
                        Column {
                            id: partCol
                            anchors { left: parent.left; right: parent.right; top: parent.top; margins: 16 }
                            spacing: 4
                            Text { width: parent.width; text: part.modelData.department; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap }
                            Text {
                                width: parent.width
                                text: (part.modelData.done ? "✔ " : "○ ") + part.modelData.status + (part.modelData.due !== "" ? "，" + part.modelData.due : "")
                                font.family: Theme.font; font.pixelSize: Theme.body; color: part.modelData.done ? Theme.good : Theme.ink; wrapMode: Text.Wrap
                            }
                        }
                    }
                }
                Text { text: qsTr("办理记录"); font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                Repeater {
                    model: ProgressModel.timeline
                    Text {
                        id: step
                        required property var modelData
                        required property int index
                        objectName: "step_" + index
                        width: moreCol.width
                        text: "● " + modelData.time + "  " + modelData.text + (modelData.status !== "" ? "（" + modelData.status + "）" : "")
                        font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
                    }
                }
            }
        }
    }
}
