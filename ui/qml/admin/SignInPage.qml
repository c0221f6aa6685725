import QtQuick
import QtQuick.Layouts
import ".."

// Staff sign-in: 代办员 = own ID card + PIN; 技术员 = PIN. The PIN is typed on big on-screen keys
// and shown only as dots. What a wrong PIN or a lock means is said in words (StaffModel.message).
StaffFrame {
    objectName: "staffSignInPage"
    title: qsTr("工作人员登录")
    showBack: false

    // Landscape: the card and PIN on the left, the pad beside them; portrait: the pad below
    // (beside them it ran off a 1080 px wide screen). The left side gives way, never the pad.
    GridLayout {
        anchors.fill: parent
        columns: Theme.portrait ? 1 : 2
        columnSpacing: Theme.gap * 3
        rowSpacing: Theme.gap
        ColumnLayout {
            Layout.preferredWidth: 760
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop
            spacing: Theme.gap
            // Who signs in and the card: on one line when there is room (landscape), so the
            // lab's 模拟换卡 still leaves the pad and 登录 above 退出 in 大字.
            Flow {
                Layout.fillWidth: true
                spacing: Theme.gap
                BigButton {
                    objectName: "modeAgent"
                    text: qsTr("代办员"); iconName: "person"
                    primaryStyle: StaffModel.mode === "agent"
                    onClicked: StaffModel.setMode("agent")
                }
                BigButton {
                    objectName: "modeTechnician"
                    text: qsTr("技术员"); iconName: "wrench"
                    primaryStyle: StaffModel.mode === "technician"
                    onClicked: StaffModel.setMode("technician")
                }
                BigButton {
                    objectName: "readStaffCard"
                    visible: StaffModel.mode === "agent" || StaffModel.cardAsked || StaffModel.hasCard
                    enabled: !StaffModel.busy
                    text: StaffModel.hasCard ? qsTr("重新读卡") : qsTr("读取本人身份证"); iconName: "card"
                    onClicked: StaffModel.readCard()
                }
            }
            Flow {
                objectName: "technicianChoice"
                visible: StaffModel.mode === "technician" && StaffModel.cardAsked
                spacing: Theme.gap
                Layout.fillWidth: true
                Repeater {
                    model: StaffModel.technicians
                    BigButton {
                        required property var modelData
                        required property int index
                        objectName: "chooseTech_" + index
                        text: modelData.name
                        primaryStyle: StaffModel.chosenTechnician === modelData.id
                        onClicked: StaffModel.chooseTechnician(modelData.id)
                    }
                }
            }
            StaffText {
                objectName: "staffCardName"
                visible: StaffModel.mode === "agent" || StaffModel.cardAsked || StaffModel.hasCard
                text: StaffModel.hasCard ? qsTr("已读卡：") + StaffModel.cardName : qsTr("第一步：把您本人的身份证放在读卡区")
                Layout.fillWidth: true
            }
            StaffText {
                text: StaffModel.mode === "agent" ? qsTr("第二步：输入密码") : qsTr("输入技术员密码")
                Layout.fillWidth: true
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.target
                radius: 12; color: Theme.card; border.color: Theme.line; border.width: 3
                Text {
                    objectName: "pinDisplay"
                    anchors.centerIn: parent
                    text: StaffModel.pinMask === "" ? qsTr("（未输入）") : StaffModel.pinMask
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink
                }
            }
            StaffText {
                objectName: "signInMessage"
                text: StaffModel.message
                visible: text !== ""
                color: Theme.bad
                font.bold: true
                Layout.fillWidth: true
            }
            RowLayout {
                visible: SimCardModel.available
                spacing: Theme.gap
                BigButton {
                    objectName: "simCardSwap"
                    text: qsTr("模拟换卡"); primaryStyle: false
                    onClicked: SimCardModel.swap()
                }
                StaffText { text: SimCardModel.holder; Layout.fillWidth: true }
            }
        }
        GridLayout {
            objectName: "pinPad"
            Layout.alignment: Theme.portrait ? Qt.AlignTop | Qt.AlignHCenter : Qt.AlignTop
            // Portrait: four keys a row (one row less under the card's lines and a wrong PIN's words).
            columns: Theme.portrait ? 4 : 3
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
                BigButton {
                    id: keyButton
                    required property var modelData
                    objectName: "key" + modelData
                    implicitWidth: 150
                    // One digit: the minimum target is room enough in 大字 too (the pad fits a
                    // portrait screen above 退出 with the lab's 模拟换卡 row).
                    implicitHeight: Theme.target
                    text: modelData === "clear" ? qsTr("清空") : modelData === "back" ? "⌫" : modelData
                    primaryStyle: false
                    onClicked: modelData === "clear" ? StaffModel.clearPin() : modelData === "back" ? StaffModel.backspace() : StaffModel.pressDigit(modelData)
                }
            }
            BigButton {
                objectName: "signInButton"
                Layout.columnSpan: Theme.portrait ? 4 : 3
                Layout.fillWidth: true
                enabled: !StaffModel.busy && StaffModel.pinLength >= 4
                text: qsTr("登录"); iconName: "check"
                onClicked: StaffModel.submit()
            }
        }
    }
}
