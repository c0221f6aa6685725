import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    objectName: "appointmentsPage"
    title: Qt.inputMethod.visible ? "" : (appointmentsModel.hasChoice ? qsTr("填写预约人") : qsTr("预约到镇、县里办事"))
    property string spoken: qsTr("请选择您要预约的时间")
    Component.onCompleted: appointmentsModel.refresh()
    Connections {
        target: appointmentsModel
        function onRequested() { navModel.replace("appointmentDone") }
    }
    actions: [
        BigButton {
            objectName: "readCardForAppointment"
            visible: appointmentsModel.hasChoice && !appointmentsModel.hasCard
            enabled: !appointmentsModel.busy
            primaryStyle: false
            text: qsTr("读取身份证"); glyph: "🪪"
            onClicked: appointmentsModel.readCard()
        },
        BigButton {
            objectName: "submitAppointment"
            visible: appointmentsModel.hasChoice
            enabled: !appointmentsModel.busy
            text: qsTr("提交预约"); glyph: "✔"
            onClicked: appointmentsModel.submit(nameField.text, idField.text, phoneField.text)
        }
    ]
    // Step 1: the county's slots.
    ColumnLayout {
        anchors.fill: parent
        visible: !appointmentsModel.hasChoice
        spacing: Theme.gap
        Text {
            objectName: "noSlots"
            visible: appointmentsModel.slots.length === 0
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
                    model: appointmentsModel.slots
                    ItemRow {
                        objectName: "slot_" + index
                        width: list.width
                        name: modelData.when
                        detail: modelData.where + " · " + modelData.service + " · " + qsTr("还剩%1个名额").arg(modelData.remaining)
                        onClicked: appointmentsModel.choose(modelData.id)
                    }
                }
            }
        }
    }
    // Step 2: who is coming.
    ColumnLayout {
        anchors.fill: parent
        visible: appointmentsModel.hasChoice
        spacing: Theme.gap
        Text {
            Layout.fillWidth: true
            text: appointmentsModel.choice.when ? appointmentsModel.choice.when + "  " + appointmentsModel.choice.where : ""
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
                enabled: !appointmentsModel.hasCard
                text: appointmentsModel.cardName
                Layout.preferredWidth: 600; Layout.preferredHeight: Theme.target
                font.family: Theme.font; font.pixelSize: Theme.primary
            }
            Text { text: qsTr("身份证号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
            TextField {
                id: idField
                objectName: "appointmentId"
                enabled: !appointmentsModel.hasCard
                text: appointmentsModel.cardId
                Layout.preferredWidth: 600; Layout.preferredHeight: Theme.target
                inputMethodHints: Qt.ImhLatinOnly | Qt.ImhPreferNumbers | Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText
                font.family: Theme.font; font.pixelSize: Theme.primary
            }
            Text { text: qsTr("手机号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
            TextField {
                id: phoneField
                objectName: "appointmentPhone"
                Layout.preferredWidth: 600; Layout.preferredHeight: Theme.target
                inputMethodHints: Qt.ImhDialableCharactersOnly
                font.family: Theme.font; font.pixelSize: Theme.primary
            }
        }
        Text {
            objectName: "appointmentError"
            visible: appointmentsModel.error !== ""
            Layout.fillWidth: true
            text: "⚠ " + appointmentsModel.error
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
        }
        Item { Layout.fillHeight: true }
    }
}
