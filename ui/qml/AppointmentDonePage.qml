import QtQuick

PageFrame {
    objectName: "appointmentDonePage"
    title: qsTr("✔ 预约申请已提交")
    showBack: false
    spoken: qsTr("预约申请已提交，县里确认后代办员会通知您")
    Text {
        anchors.fill: parent
        text: qsTr("县里确认后，代办员会通知您。确认前这只是一个申请，请不要提前出发。")
        font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
    }
}
