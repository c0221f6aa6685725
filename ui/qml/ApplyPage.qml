import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    id: page
    objectName: "applyPage"
    title: Qt.inputMethod.visible ? "" : qsTr("办理：") + applyModel.itemName
    property string spoken: qsTr("请把身份证放在读卡区，然后点击读取身份证")
    property bool typing: false
    actions: [
        BigButton {
            objectName: "readCardButton"
            visible: !applyModel.hasApplicant && !page.typing
            enabled: !applyModel.busy
            text: applyModel.busy ? qsTr("正在读卡…") : qsTr("读取身份证"); glyph: "🪪"
            onClicked: applyModel.readCard()
        },
        BigButton {
            objectName: "readProxyCardButton"
            visible: applyModel.hasApplicant && applyModel.proxyMode && !applyModel.hasProxy
            enabled: !applyModel.busy
            text: qsTr("读取代办人身份证"); glyph: "🪪"
            onClicked: applyModel.readCard()
        },
        BigButton {
            objectName: "submitButton"
            visible: applyModel.hasApplicant && (!applyModel.proxyMode || applyModel.hasProxy)
            enabled: !applyModel.busy
            text: applyModel.busy ? qsTr("请稍候…") : qsTr("确认提交"); glyph: "✔"
            onClicked: applyModel.submit()
        }
    ]
    Connections {
        target: applyModel
        function onCase_saved(caseId) { navModel.replace("receipt") }
    }
    ScrollPane {
        anchors.fill: parent
        contentHeight: steps.implicitHeight
        Column {
            id: steps
            width: parent.width
            spacing: Theme.gap

            // Step 1: who is applying.
            Rectangle {
                visible: !applyModel.hasApplicant && !page.typing
                width: parent.width
                height: intro.implicitHeight + 48
                radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                Text {
                    id: intro
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                    text: applyModel.proxyMode
                        ? qsTr("替家人办理：先读取申请人（您的家人）的身份证，再读取您本人的身份证。")
                        : qsTr("第一步：请把您的身份证放在读卡区，然后点击右下角“读取身份证”。\n不用手写，信息会自动填好。")
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                }
            }
            Flow {
                visible: !applyModel.hasApplicant && !page.typing
                width: parent.width
                spacing: Theme.gap
                BigButton {
                    objectName: "proxyToggle"
                    primaryStyle: false
                    text: applyModel.proxyMode ? qsTr("替家人办理：是") : qsTr("替家人办理：否")
                    glyph: applyModel.proxyMode ? "✔" : ""
                    onClicked: applyModel.setProxyMode(!applyModel.proxyMode)
                }
                BigButton {
                    objectName: "typeIdButton"
                    primaryStyle: false
                    text: qsTr("没带身份证？手动输入")
                    onClicked: page.typing = true
                }
            }
            // Typing the number, for those without a card at hand.
            GridLayout {
                visible: page.typing && !applyModel.hasApplicant
                columns: 2
                columnSpacing: Theme.gap
                rowSpacing: Theme.gap
                Text { text: qsTr("申请人姓名"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
                TextField {
                    id: typedName
                    objectName: "typedName"
                    Layout.preferredWidth: 640; Layout.preferredHeight: Theme.target
                    font.family: Theme.font; font.pixelSize: Theme.primary
                }
                Text { text: qsTr("身份证号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
                TextField {
                    id: typedId
                    objectName: "typedId"
                    Layout.preferredWidth: 640; Layout.preferredHeight: Theme.target
                    inputMethodHints: Qt.ImhLatinOnly | Qt.ImhPreferNumbers | Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText
                    font.family: Theme.font; font.pixelSize: Theme.primary
                }
                BigButton {
                    objectName: "typedCancel"
                    primaryStyle: false
                    text: qsTr("改用读卡")
                    onClicked: page.typing = false
                }
                BigButton {
                    objectName: "typedOk"
                    text: qsTr("确定"); glyph: "✔"
                    onClicked: applyModel.typeApplicant(typedName.text, typedId.text)
                }
            }

            // Step 2: check the details.
            Rectangle {
                objectName: "applicantCard"
                visible: applyModel.hasApplicant
                width: parent.width
                height: form.implicitHeight + 48
                radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                GridLayout {
                    id: form
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                    columns: 2
                    columnSpacing: Theme.gap * 2
                    rowSpacing: 12
                    Text { text: qsTr("申请人"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text { objectName: "applicantName"; text: applyModel.applicantName; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                    Text { text: qsTr("身份证号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text { objectName: "idMasked"; text: applyModel.idMasked; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                    Text { visible: applyModel.address !== ""; text: qsTr("住址"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text { visible: applyModel.address !== ""; text: applyModel.address; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap; Layout.fillWidth: true }
                    Text { visible: applyModel.proxyMode; text: qsTr("代办人"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text {
                        objectName: "proxyLine"
                        visible: applyModel.proxyMode
                        text: applyModel.hasProxy ? applyModel.proxyName + "  " + applyModel.proxyIdMasked : qsTr("请读取您本人的身份证")
                        font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: applyModel.hasProxy; color: Theme.ink
                    }
                }
            }

            // Step 3: the materials, photographed instead of photocopied (免复印).
            Text {
                visible: applyModel.hasApplicant && applyModel.materials.length > 0
                width: parent.width
                text: qsTr("要交的材料：放在高拍仪下面，点“拍照”。有几页的，每页拍一张。")
                font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
            }
            Repeater {
                model: applyModel.hasApplicant ? applyModel.materials : []
                MaterialCard {
                    width: steps.width
                    row: modelData
                    vm: applyModel
                }
            }
            Text {
                objectName: "missingMaterials"
                visible: applyModel.hasApplicant && applyModel.missingText !== ""
                width: parent.width
                text: qsTr("还差%1页没拍：").arg(applyModel.missingPages) + applyModel.missingText + qsTr("。没带也可以先提交，代办员会一次告诉您要补什么。")
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.warn; wrapMode: Text.Wrap
            }
            Text {
                visible: applyModel.hasApplicant
                width: parent.width
                text: qsTr("请核对以上信息。点击“确认提交”后，本机会保存您的申请并打印收件回执。")
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
            }
            Rectangle {
                objectName: "applyError"
                visible: applyModel.error !== ""
                width: parent.width
                height: errText.implicitHeight + 40
                radius: 16; color: "#FDECEA"; border.color: Theme.bad; border.width: 3
                Text {
                    id: errText
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                    text: "⚠ " + applyModel.error
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
                }
            }
        }
    }
}
