import QtQuick
import QtQuick.Layouts

// The request is saved: its number large, then what, when and where, as the printed 预约单 says.
PageFrame {
    objectName: "appointmentDonePage"
    title: qsTr("✔ 预约申请已提交")
    showBack: false
    spoken: qsTr("预约申请已提交，请取走预约单。县里确认后代办员会打电话通知您")
    ScrollPane {
        anchors.fill: parent
        contentHeight: doneCol.implicitHeight
        ColumnLayout {
            id: doneCol
            width: parent.width
            spacing: Theme.gap
            Flow {
                Layout.fillWidth: true
                spacing: Theme.gap
                Text {
                    height: appointmentNo.height; verticalAlignment: Text.AlignVCenter
                    text: qsTr("预约号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink
                }
                Text {
                    id: appointmentNo
                    objectName: "appointmentNo"
                    text: AppointmentsModel.booked.number || ""
                    font.family: Theme.font; font.pixelSize: Theme.huge; font.bold: true; color: Theme.brand
                }
            }
            // Take the slip: said right under the number, above the fold in every layout.
            Text {
                objectName: "appointmentPrintMessage"
                visible: AppointmentsModel.printMessage !== ""
                Layout.fillWidth: true
                text: AppointmentsModel.printMessage
                font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.brand; wrapMode: Text.Wrap
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: bookedGrid.implicitHeight + 40
                radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                GridLayout {
                    id: bookedGrid
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 20 }
                    columns: 2
                    columnSpacing: Theme.gap
                    rowSpacing: 12
                    Text { text: qsTr("时间"); font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                    Text {
                        objectName: "appointmentWhen"
                        Layout.fillWidth: true
                        text: AppointmentsModel.booked.when || ""
                        font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
                    }
                    Text { text: qsTr("地点"); font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                    Text {
                        objectName: "appointmentWhere"
                        Layout.fillWidth: true
                        text: AppointmentsModel.booked.where || ""
                        font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
                    }
                    Text { text: qsTr("办事"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
                    Text {
                        objectName: "appointmentService"
                        Layout.fillWidth: true
                        text: AppointmentsModel.booked.service || ""
                        font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                    }
                }
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("县里确认后，代办员会打电话通知您。确认前这只是一个申请，请不要提前出发。")
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("想知道确认了没有：在本机点“进度查询”，扫预约单上的二维码，或输入预约号。")
                font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
            }
        }
    }
}
