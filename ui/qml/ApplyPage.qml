import QtQuick
import QtQuick.Layouts

PageFrame {
    objectName: "applyPage"
    title: qsTr("办理：") + applyModel.itemName
    property string spoken: qsTr("请把身份证放在读卡区，然后点击读取身份证")
    actions: [
        BigButton {
            objectName: "readCardButton"
            visible: !applyModel.hasApplicant
            enabled: !applyModel.busy
            text: applyModel.busy ? qsTr("正在读卡…") : qsTr("读取身份证"); glyph: "🪪"
            onClicked: applyModel.readCard()
        },
        BigButton {
            objectName: "rereadCardButton"
            visible: applyModel.hasApplicant
            enabled: !applyModel.busy
            primaryStyle: false
            text: qsTr("重新读卡")
            onClicked: applyModel.readCard()
        },
        BigButton {
            objectName: "submitButton"
            visible: applyModel.hasApplicant
            enabled: !applyModel.busy
            text: applyModel.busy ? qsTr("正在保存…") : qsTr("确认提交"); glyph: "✔"
            onClicked: applyModel.submit()
        }
    ]
    Connections {
        target: applyModel
        function onCase_saved(caseId) { navModel.replace("receipt") }
    }
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 180
            visible: !applyModel.hasApplicant
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
            Text {
                anchors.fill: parent; anchors.margins: 24
                text: qsTr("第一步：请把您的身份证放在读卡区，然后点击右下角“读取身份证”。\n不用手写，信息会自动填好。")
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
        Rectangle {
            objectName: "applicantCard"
            Layout.fillWidth: true
            Layout.preferredHeight: form.implicitHeight + 48
            visible: applyModel.hasApplicant
            radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
            GridLayout {
                id: form
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                columns: 2
                columnSpacing: Theme.gap * 2
                rowSpacing: Theme.gap
                Text { text: qsTr("申请人"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                Text { objectName: "applicantName"; text: applyModel.applicantName; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                Text { text: qsTr("身份证号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                Text { objectName: "idMasked"; text: applyModel.idMasked; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                Text { text: qsTr("住址"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                Text { text: applyModel.address; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap; Layout.fillWidth: true }
            }
        }
        Text {
            visible: applyModel.hasApplicant
            Layout.fillWidth: true
            text: qsTr("请核对以上信息。点击“确认提交”后，本机会保存您的申请并打印受理回执。")
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
        }
        Rectangle {
            objectName: "applyError"
            visible: applyModel.error !== ""
            Layout.fillWidth: true
            Layout.preferredHeight: errText.implicitHeight + 40
            radius: 16; color: "#FDECEA"; border.color: Theme.bad; border.width: 3
            Text {
                id: errText
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: "⚠ " + applyModel.error
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
            }
        }
        Item { Layout.fillHeight: true }
    }
}
