import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

// 服务评价 (the home tile): which case to rate. The receipt is scanned (the scanner's reads come
// to ProgressModel while this page shows, ui/app.py) or its number and the ID's last four are
// typed; the case found is named, and a case that can be rated is rated from here (RatePage).
PageFrame {
    id: page
    objectName: "rateFindPage"
    title: qsTr("服务评价：给哪件事打分？")
    spoken: qsTr("请把要评价的那件事的回执二维码，对准扫码口")
    actions: [
        BigButton {
            objectName: "rateAnotherButton"
            visible: ProgressModel.found || ProgressModel.appointmentFound
            primaryStyle: false
            text: qsTr("换一件事"); iconName: "search"
            onClicked: ProgressModel.clear()
        },
        BigButton {
            objectName: "rateThisButton"
            visible: ProgressModel.canRate
            text: qsTr("给这件事打分"); iconName: "smile"
            onClicked: NavModel.go("rate")
        }
    ]

    // Not found yet: scan, or type.
    ColumnLayout {
        anchors.fill: parent
        visible: !ProgressModel.found
        spacing: Theme.gap
        Rectangle {
            visible: !Theme.keyboardUp
            Layout.fillWidth: true
            Layout.preferredHeight: scanText.implicitHeight + 48
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
            Text {
                id: scanText
                objectName: "rateFindPrompt"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: qsTr("办好的事，可以在这里打分。\n请把那件事的回执上的二维码对准下方的扫码口，听到“嘀”一声就好。")
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("没有回执？输入办件编号和身份证号后四位：")
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
        }
        GridLayout {
            columns: Theme.portrait ? 2 : 3
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap
            TextField {
                id: caseNoField
                objectName: "rateCaseNoField"
                placeholderText: qsTr("办件编号")
                placeholderTextColor: Theme.inkSoft
                font.family: Theme.font; font.pixelSize: Theme.primary
                Layout.columnSpan: Theme.portrait ? 2 : 1
                Layout.preferredWidth: 720; Layout.preferredHeight: Theme.target
                inputMethodHints: Qt.ImhLatinOnly | Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText
            }
            NumberField {
                id: last4Field
                objectName: "rateLast4Field"
                allowX: true
                placeholderText: qsTr("身份证后四位")
                placeholderTextColor: Theme.inkSoft
                Layout.preferredWidth: 360; Layout.preferredHeight: Theme.target
                maximumLength: 4
            }
            BigButton {
                objectName: "rateLookupButton"
                text: qsTr("找这件事")
                enabled: !ProgressModel.busy
                onClicked: ProgressModel.lookupNumber(caseNoField.text, last4Field.text)
            }
        }
        Rectangle {
            objectName: "rateFindMessage"
            visible: ProgressModel.message !== "" || ProgressModel.hint !== "" || ProgressModel.appointmentFound
            Layout.fillWidth: true
            Layout.preferredHeight: rateMsg.implicitHeight + 40
            radius: 16; color: Theme.card; border.color: Theme.bad; border.width: 3
            Text {
                id: rateMsg
                objectName: "rateFindMessageText"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: ProgressModel.appointmentFound
                      ? qsTr("这是预约单，不能在这里打分。请扫描办事时打印的回执。")
                      : (ProgressModel.message !== "" ? "⚠ " + ProgressModel.message : ProgressModel.hint)
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
        Item { Layout.fillHeight: true }
    }

    // Found: which case, and whether it can be rated now.
    ColumnLayout {
        anchors.fill: parent
        visible: ProgressModel.found
        spacing: Theme.gap
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: foundCol.implicitHeight + 48
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 4
            Column {
                id: foundCol
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                spacing: 12
                Text {
                    objectName: "rateFoundItem"
                    width: parent.width
                    text: qsTr("找到了：") + ProgressModel.itemName
                    font.family: Theme.font; font.pixelSize: Theme.title; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: qsTr("办件编号：") + ProgressModel.caseNo
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: qsTr("现在：") + ProgressModel.statusLabel
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                }
            }
        }
        Text {
            objectName: "rateFoundWhy"
            Layout.fillWidth: true
            text: ProgressModel.canRate
                  ? qsTr("请点右下角“给这件事打分”。")
                  : ProgressModel.ratedLabel !== ""
                    ? qsTr("这件事您已经评价过了：%1。谢谢您！").arg(ProgressModel.ratedLabel)
                    : ProgressModel.remote
                      ? qsTr("这件事是在别的服务站办的，请到那里打分。")
                      : qsTr("这件事还没有办好，办好以后才能打分。")
            font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.brand; wrapMode: Text.Wrap
        }
        Item { Layout.fillHeight: true }
    }
}
