pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    id: page
    objectName: "applyPage"
    title: Theme.keyboardUp ? "" : qsTr("办理：") + ApplyModel.itemName
    spoken: qsTr("请把身份证放在读卡区，然后点击读取身份证")
    property bool typing: false
    actions: [
        BigButton {
            objectName: "readCardButton"
            visible: !ApplyModel.hasApplicant && !page.typing
            enabled: !ApplyModel.busy
            text: ApplyModel.busy ? qsTr("正在读卡…") : qsTr("读取身份证"); iconName: "card"
            onClicked: ApplyModel.readCard()
        },
        BigButton {
            objectName: "readProxyCardButton"
            visible: ApplyModel.hasApplicant && ApplyModel.proxyMode && !ApplyModel.hasProxy
            enabled: !ApplyModel.busy
            text: qsTr("读取代办人身份证"); iconName: "card"
            onClicked: ApplyModel.readCard()
        },
        BigButton {
            objectName: "submitButton"
            visible: ApplyModel.hasApplicant && (!ApplyModel.proxyMode || ApplyModel.hasProxy)
            enabled: !ApplyModel.busy
            text: ApplyModel.busy ? qsTr("请稍候…") : qsTr("确认提交"); iconName: "check"
            onClicked: ApplyModel.submit()
        }
    ]
    Connections {
        target: ApplyModel
        function onCase_saved(caseId) { NavModel.replace("receipt") }
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
                visible: !ApplyModel.hasApplicant && !page.typing
                width: parent.width
                height: intro.implicitHeight + 48
                radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                Text {
                    id: intro
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                    text: ApplyModel.proxyMode
                        ? qsTr("替家人办理：先读取申请人（您的家人）的身份证，再读取您本人的身份证。")
                        : qsTr("第一步：请把您的身份证放在读卡区，然后点击右下角“读取身份证”。\n不用手写，信息会自动填好。")
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                }
            }
            Flow {
                visible: !ApplyModel.hasApplicant && !page.typing
                width: parent.width
                spacing: Theme.gap
                BigButton {
                    objectName: "proxyToggle"
                    primaryStyle: false
                    text: ApplyModel.proxyMode ? qsTr("替家人办理：是") : qsTr("替家人办理：否")
                    iconName: ApplyModel.proxyMode ? "check" : ""
                    onClicked: ApplyModel.setProxyMode(!ApplyModel.proxyMode)
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
                visible: page.typing && !ApplyModel.hasApplicant
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
                NumberField {
                    id: typedId
                    objectName: "typedId"
                    allowX: true
                    maximumLength: 18
                    Layout.preferredWidth: 640; Layout.preferredHeight: Theme.target
                }
                BigButton {
                    objectName: "typedCancel"
                    primaryStyle: false
                    text: qsTr("改用读卡")
                    onClicked: page.typing = false
                }
                BigButton {
                    objectName: "typedOk"
                    text: qsTr("确定"); iconName: "check"
                    onClicked: ApplyModel.typeApplicant(typedName.text, typedId.text)
                }
            }

            // Step 2: check the details.
            Rectangle {
                objectName: "applicantCard"
                visible: ApplyModel.hasApplicant
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
                    Text { objectName: "applicantName"; text: ApplyModel.applicantName; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                    Text { text: qsTr("身份证号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text { objectName: "idMasked"; text: ApplyModel.idMasked; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                    Text { visible: ApplyModel.address !== ""; text: qsTr("住址"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text { visible: ApplyModel.address !== ""; text: ApplyModel.address; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap; Layout.fillWidth: true }
                    Text { visible: ApplyModel.proxyMode; text: qsTr("代办人"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text {
                        objectName: "proxyLine"
                        visible: ApplyModel.proxyMode
                        text: ApplyModel.hasProxy ? ApplyModel.proxyName + "  " + ApplyModel.proxyIdMasked : qsTr("请读取您本人的身份证")
                        font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: ApplyModel.hasProxy; color: Theme.ink
                    }
                }
            }

            // Step 3: the materials, photographed instead of photocopied (免复印).
            Text {
                visible: ApplyModel.hasApplicant && ApplyModel.materials.length > 0
                width: parent.width
                text: qsTr("要交的材料：放在高拍仪下面，点“拍照”。有几页的，每页拍一张。")
                font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
            }
            Repeater {
                model: ApplyModel.hasApplicant ? ApplyModel.materials : []
                MaterialCard {
                    id: material
                    required property var modelData
                    width: steps.width
                    row: modelData
                    vm: ApplyModel
                }
            }
            Text {
                objectName: "missingMaterials"
                visible: ApplyModel.hasApplicant && ApplyModel.missingText !== ""
                width: parent.width
                text: qsTr("还差%1页没拍：").arg(ApplyModel.missingPages) + ApplyModel.missingText + qsTr("。没带也可以先提交，代办员会一次告诉您要补什么。")
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.warn; wrapMode: Text.Wrap
            }
            Text {
                visible: ApplyModel.hasApplicant
                width: parent.width
                text: qsTr("请核对以上信息。点击“确认提交”后，本机会保存您的申请并打印收件回执。")
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
            }
            Rectangle {
                objectName: "applyError"
                visible: ApplyModel.error !== ""
                width: parent.width
                height: errText.implicitHeight + 40
                radius: 16; color: "#FDECEA"; border.color: Theme.bad; border.width: 3
                Text {
                    id: errText
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                    text: "⚠ " + ApplyModel.error
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
                }
            }
        }
    }
}
