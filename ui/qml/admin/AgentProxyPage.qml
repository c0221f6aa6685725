import QtQuick
import QtQuick.Layouts
import ".."

// 代办: the villager's card, the agent's own card, a photo of the signed 委托书, the item, submit.
// 下一位 forgets everything about this villager.
StaffFrame {
    objectName: "agentProxyPage"
    title: qsTr("代办申请")
    actions: [
        BigButton {
            objectName: "proxyNext"
            text: qsTr("下一位"); glyph: "➡"; primaryStyle: false
            onClicked: proxyModel.nextPerson()
        }
    ]

    RowLayout {
        anchors.fill: parent
        spacing: Theme.gap * 2
        ScrollPane {
            Layout.preferredWidth: 900
            Layout.fillHeight: true
            contentHeight: steps.implicitHeight
            Column {
                id: steps
                width: parent.width
                spacing: Theme.gap
                BigButton {
                    objectName: "proxyReadVillager"
                    enabled: !proxyModel.busy && proxyModel.caseNo === ""
                    text: (proxyModel.hasVillager ? "✔ " : "1 ") + qsTr("读取群众身份证")
                    primaryStyle: !proxyModel.hasVillager
                    onClicked: proxyModel.readVillagerCard()
                }
                StaffText {
                    objectName: "proxyVillager"
                    visible: proxyModel.hasVillager
                    text: proxyModel.villagerName + "  " + proxyModel.villagerId
                }
                BigButton {
                    objectName: "proxyReadAgent"
                    enabled: proxyModel.hasVillager && !proxyModel.busy && proxyModel.caseNo === ""
                    text: (proxyModel.agentConfirmed ? "✔ " : "2 ") + qsTr("读取代办员本人身份证")
                    primaryStyle: proxyModel.hasVillager && !proxyModel.agentConfirmed
                    onClicked: proxyModel.readAgentCard()
                }
                BigButton {
                    objectName: "proxyCapture"
                    enabled: proxyModel.agentConfirmed && !proxyModel.busy && proxyModel.caseNo === ""
                    text: (proxyModel.hasPhoto ? "✔ " : "3 ") + qsTr("拍摄签字的委托书")
                    primaryStyle: proxyModel.agentConfirmed && !proxyModel.hasPhoto
                    onClicked: proxyModel.captureAuthorisation()
                }
                StaffText {
                    text: "4 " + qsTr("选择事项：") + (proxyModel.itemName || qsTr("（请在右边选择）"))
                    width: steps.width
                }
                BigButton {
                    objectName: "proxySubmit"
                    enabled: proxyModel.ready && !proxyModel.busy
                    text: "5 " + qsTr("代为提交并打印回执")
                    onClicked: proxyModel.submit()
                }
                StaffText {
                    objectName: "proxyMessage"
                    visible: text !== ""
                    width: steps.width
                    text: proxyModel.message + (proxyModel.caseNo !== "" ? "  " + qsTr("办件编号：") + proxyModel.caseNo : "")
                    font.bold: true
                    color: Theme.brand
                }
                Row {
                    visible: simCardModel.available
                    spacing: Theme.gap
                    BigButton {
                        objectName: "simCardSwap"
                        text: qsTr("模拟换卡"); primaryStyle: false
                        onClicked: simCardModel.swap()
                    }
                    StaffText { text: simCardModel.holder; anchors.verticalCenter: parent.verticalCenter }
                }
                Image {
                    objectName: "proxyPhoto"
                    visible: proxyModel.photoUrl !== ""
                    source: proxyModel.photoUrl
                    width: 300; height: 400
                    fillMode: Image.PreserveAspectFit
                }
            }
        }
        ScrollPane {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: items.implicitHeight
            Column {
                id: items
                width: parent.width
                spacing: Theme.gap
                Repeater {
                    model: proxyModel.items
                    BigButton {
                        objectName: "proxyItem_" + modelData.code
                        width: items.width
                        text: modelData.name
                        font.pixelSize: Theme.body
                        primaryStyle: proxyModel.itemCode === modelData.code
                        enabled: proxyModel.caseNo === ""
                        onClicked: proxyModel.chooseItem(modelData.code)
                    }
                }
            }
        }
    }
}
