import QtQuick
import QtQuick.Layouts
import ".."

// Staff sign-in: 代办员 = own ID card + PIN; 技术员 = PIN. The PIN is typed on big on-screen keys
// and shown only as dots. What a wrong PIN or a lock means is said in words (staffModel.message).
StaffFrame {
    objectName: "staffSignInPage"
    title: qsTr("工作人员登录")
    showBack: false

    RowLayout {
        anchors.fill: parent
        spacing: Theme.gap * 3
        ColumnLayout {
            Layout.preferredWidth: 760
            Layout.alignment: Qt.AlignTop
            spacing: Theme.gap
            RowLayout {
                spacing: Theme.gap
                BigButton {
                    objectName: "modeAgent"
                    text: qsTr("代办员"); glyph: "🧑‍💼"
                    primaryStyle: staffModel.mode === "agent"
                    onClicked: staffModel.setMode("agent")
                }
                BigButton {
                    objectName: "modeTechnician"
                    text: qsTr("技术员"); glyph: "🔧"
                    primaryStyle: staffModel.mode === "technician"
                    onClicked: staffModel.setMode("technician")
                }
            }
            BigButton {
                objectName: "readStaffCard"
                visible: staffModel.mode === "agent"
                enabled: !staffModel.busy
                text: staffModel.hasCard ? qsTr("重新读卡") : qsTr("读取本人身份证"); glyph: "🪪"
                onClicked: staffModel.readCard()
            }
            StaffText {
                objectName: "staffCardName"
                visible: staffModel.mode === "agent"
                text: staffModel.hasCard ? qsTr("已读卡：") + staffModel.cardName : qsTr("第一步：把您本人的身份证放在读卡区")
                Layout.fillWidth: true
            }
            StaffText {
                text: staffModel.mode === "agent" ? qsTr("第二步：输入密码") : qsTr("输入技术员密码")
                Layout.fillWidth: true
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.target
                radius: 12; color: Theme.card; border.color: Theme.line; border.width: 3
                Text {
                    objectName: "pinDisplay"
                    anchors.centerIn: parent
                    text: staffModel.pinMask === "" ? qsTr("（未输入）") : staffModel.pinMask
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink
                }
            }
            StaffText {
                objectName: "signInMessage"
                text: staffModel.message
                visible: text !== ""
                color: Theme.bad
                font.bold: true
                Layout.fillWidth: true
            }
            RowLayout {
                visible: simCardModel.available
                spacing: Theme.gap
                BigButton {
                    objectName: "simCardSwap"
                    text: qsTr("模拟换卡"); primaryStyle: false
                    onClicked: simCardModel.swap()
                }
                StaffText { text: simCardModel.holder; Layout.fillWidth: true }
            }
        }
        GridLayout {
            Layout.alignment: Qt.AlignTop
            columns: 3
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
                BigButton {
                    objectName: "key" + modelData
                    implicitWidth: 150
                    text: modelData === "clear" ? qsTr("清空") : modelData === "back" ? "⌫" : modelData
                    primaryStyle: false
                    onClicked: modelData === "clear" ? staffModel.clearPin() : modelData === "back" ? staffModel.backspace() : staffModel.pressDigit(modelData)
                }
            }
            BigButton {
                objectName: "signInButton"
                Layout.columnSpan: 3
                Layout.fillWidth: true
                enabled: !staffModel.busy && staffModel.pinLength >= 4
                text: qsTr("登录"); glyph: "✔"
                onClicked: staffModel.submit()
            }
        }
    }
}
