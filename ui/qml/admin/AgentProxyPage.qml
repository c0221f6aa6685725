pragma ComponentBehavior: Bound
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
            text: qsTr("下一位"); iconName: "forward"; primaryStyle: false
            onClicked: ProxyModel.nextPerson()
        }
    ]

    // Landscape: the steps on the left, the items on the right; portrait: one above the other.
    GridLayout {
        anchors.fill: parent
        columns: Theme.portrait ? 1 : 2
        columnSpacing: Theme.gap * 2
        rowSpacing: Theme.gap * 2
        ScrollPane {
            Layout.preferredWidth: Theme.portrait ? -1 : 900
            Layout.fillWidth: Theme.portrait
            Layout.fillHeight: true
            contentHeight: steps.implicitHeight
            Column {
                id: steps
                width: parent.width
                spacing: Theme.gap
                BigButton {
                    objectName: "proxyReadVillager"
                    enabled: !ProxyModel.busy && ProxyModel.caseNo === ""
                    text: (ProxyModel.hasVillager ? "✔ " : "1 ") + qsTr("读取群众身份证")
                    primaryStyle: !ProxyModel.hasVillager
                    onClicked: ProxyModel.readVillagerCard()
                }
                StaffText {
                    objectName: "proxyVillager"
                    visible: ProxyModel.hasVillager
                    text: ProxyModel.villagerName + "  " + ProxyModel.villagerId
                }
                // The villager's phone, if they give one: the case carries it (masked on screens).
                Flow {
                    visible: ProxyModel.hasVillager
                    width: steps.width
                    spacing: Theme.gap
                    StaffText { text: qsTr("群众手机号（选填）"); height: Theme.target; verticalAlignment: Text.AlignVCenter }
                    NumberField {
                        id: phoneField
                        objectName: "proxyPhone"
                        maximumLength: 12
                        width: 420; height: Theme.target
                        enabled: ProxyModel.caseNo === ""
                        placeholderText: qsTr("办结后方便通知")
                        placeholderTextColor: Theme.inkSoft
                        onTextChanged: ProxyModel.setPhone(text)
                        // 下一位: nothing of this villager stays, the number neither.
                        onVisibleChanged: if (!visible) clear()
                    }
                }
                // 短信提醒: only with a mobile number, and only when the villager says yes.
                BigButton {
                    objectName: "proxySmsConsent"
                    visible: ProxyModel.smsOffered
                    enabled: ProxyModel.caseNo === ""
                    primaryStyle: false
                    text: ProxyModel.smsConsent ? qsTr("群众同意短信提醒：是") : qsTr("群众同意短信提醒：否")
                    iconName: ProxyModel.smsConsent ? "check" : ""
                    onClicked: ProxyModel.setSmsConsent(!ProxyModel.smsConsent)
                }
                StaffText {
                    objectName: "proxyPhoneProblem"
                    visible: text !== ""
                    width: steps.width
                    text: ProxyModel.phoneProblem !== "" ? "⚠ " + ProxyModel.phoneProblem : ""
                    color: Theme.bad
                }
                BigButton {
                    objectName: "proxyReadAgent"
                    enabled: ProxyModel.hasVillager && !ProxyModel.busy && ProxyModel.caseNo === ""
                    text: (ProxyModel.agentConfirmed ? "✔ " : "2 ") + qsTr("读取代办员本人身份证")
                    primaryStyle: ProxyModel.hasVillager && !ProxyModel.agentConfirmed
                    onClicked: ProxyModel.readAgentCard()
                }
                BigButton {
                    objectName: "proxyCapture"
                    enabled: ProxyModel.agentConfirmed && !ProxyModel.busy && ProxyModel.caseNo === ""
                    text: (ProxyModel.hasPhoto ? "✔ " : "3 ") + qsTr("拍摄签字的委托书")
                    primaryStyle: ProxyModel.agentConfirmed && !ProxyModel.hasPhoto
                    onClicked: ProxyModel.captureAuthorisation()
                }
                StaffText {
                    text: "4 " + qsTr("选择事项：") + (ProxyModel.itemName || qsTr("（请在右边选择）"))
                    width: steps.width
                }
                BigButton {
                    objectName: "proxySubmit"
                    enabled: ProxyModel.ready && !ProxyModel.busy
                    text: "5 " + qsTr("代为提交并打印回执")
                    onClicked: ProxyModel.submit()
                }
                StaffText {
                    objectName: "proxyMessage"
                    visible: text !== ""
                    width: steps.width
                    text: ProxyModel.message + (ProxyModel.caseNo !== "" ? "  " + qsTr("办件编号：") + ProxyModel.caseNo : "")
                    font.bold: true
                    color: Theme.brand
                }
                Row {
                    visible: SimCardModel.available
                    spacing: Theme.gap
                    BigButton {
                        objectName: "simCardSwap"
                        text: qsTr("模拟换卡"); primaryStyle: false
                        onClicked: SimCardModel.swap()
                    }
                    StaffText { text: SimCardModel.holder; anchors.verticalCenter: parent.verticalCenter }
                }
                Image {
                    objectName: "proxyPhoto"
                    visible: ProxyModel.photoUrl !== ""
                    source: ProxyModel.photoUrl
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
                    model: ProxyModel.items
                    BigButton {
                        id: proxyItem
                        required property var modelData
                        objectName: "proxyItem_" + modelData.code
                        width: items.width
                        text: modelData.name
                        font.pixelSize: Theme.body
                        primaryStyle: ProxyModel.itemCode === modelData.code
                        enabled: ProxyModel.caseNo === ""
                        onClicked: ProxyModel.chooseItem(modelData.code)
                    }
                }
            }
        }
    }
}
