pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    objectName: "appointmentsPage"
    title: Theme.keyboardUp ? "" : (AppointmentsModel.hasChoice ? qsTr("填写预约人") : qsTr("预约到镇、县里办事"))
    spoken: qsTr("请选择您要预约的时间")
    Component.onCompleted: AppointmentsModel.refresh()
    Connections {
        target: AppointmentsModel
        function onRequested() { NavModel.replace("appointmentDone") }
    }
    actions: [
        BigButton {
            objectName: "readCardForAppointment"
            visible: AppointmentsModel.hasChoice && !AppointmentsModel.hasCard
            enabled: !AppointmentsModel.busy
            primaryStyle: false
            text: qsTr("读取身份证"); iconName: "card"
            onClicked: AppointmentsModel.readCard()
        },
        BigButton {
            objectName: "submitAppointment"
            visible: AppointmentsModel.hasChoice
            enabled: !AppointmentsModel.busy
            text: qsTr("提交预约"); iconName: "check"
            onClicked: AppointmentsModel.submit(nameField.text, idField.text, phoneField.text)
        }
    ]
    // Step 1: the county's slots.
    ColumnLayout {
        anchors.fill: parent
        visible: !AppointmentsModel.hasChoice
        spacing: Theme.gap
        Text {
            objectName: "noSlots"
            visible: AppointmentsModel.slots.length === 0
            Layout.fillWidth: true
            text: qsTr("现在没有可以预约的时段。县里发布新的时段后会显示在这里，也可以请代办员帮您联系。")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
        }
        ScrollPane {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: list.implicitHeight
            Column {
                id: list
                width: parent.width
                spacing: Theme.gap
                Repeater {
                    model: AppointmentsModel.slots
                    ItemRow {
                        id: slotRow
                        required property var modelData
                        required property int index
                        objectName: "slot_" + index
                        width: list.width
                        name: modelData.when
                        detail: modelData.where + " · " + modelData.service + " · " + qsTr("还剩%1个名额").arg(modelData.remaining)
                        onClicked: AppointmentsModel.choose(modelData.id)
                    }
                }
            }
        }
    }
    // Step 2: who is coming.
    ColumnLayout {
        anchors.fill: parent
        visible: AppointmentsModel.hasChoice
        spacing: Theme.gap
        Text {
            Layout.fillWidth: true
            text: AppointmentsModel.choice.when ? AppointmentsModel.choice.when + "  " + AppointmentsModel.choice.where : ""
            font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.brand; wrapMode: Text.Wrap
        }
        GridLayout {
            columns: 2
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap
            Text { text: qsTr("姓名"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
            TextField {
                id: nameField
                objectName: "appointmentName"
                enabled: !AppointmentsModel.hasCard
                text: AppointmentsModel.cardName
                Layout.preferredWidth: 600; Layout.preferredHeight: Theme.target
                font.family: Theme.font; font.pixelSize: Theme.primary
                // Filled from the card: ink on the page, as NumberField.qml (never the style's faded grey).
                color: Theme.ink
                background: Rectangle { color: nameField.enabled ? Theme.card : Theme.paper; radius: 8; border.color: nameField.activeFocus ? Theme.brand : Theme.line; border.width: !nameField.enabled ? 0 : nameField.activeFocus ? 4 : 2 }
            }
            Text { text: qsTr("身份证号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
            NumberField {
                id: idField
                objectName: "appointmentId"
                allowX: true
                maximumLength: 18
                enabled: !AppointmentsModel.hasCard
                text: AppointmentsModel.cardId
                Layout.preferredWidth: 600; Layout.preferredHeight: Theme.target
            }
            Text { text: qsTr("手机号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
            NumberField {
                id: phoneField
                objectName: "appointmentPhone"
                maximumLength: 20
                Layout.preferredWidth: 600; Layout.preferredHeight: Theme.target
            }
        }
        Text {
            objectName: "appointmentError"
            visible: AppointmentsModel.error !== ""
            Layout.fillWidth: true
            text: "⚠ " + AppointmentsModel.error
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
        }
        Item { Layout.fillHeight: true }
    }
}
