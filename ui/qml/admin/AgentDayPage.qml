import QtQuick
import QtQuick.Layouts
import ".."

// The day at a glance: big numbers in words first, then bars a village head reads at once.
StaffFrame {
    objectName: "agentDayPage"
    title: qsTr("今日统计（近7天）")
    Component.onCompleted: DayModel.refresh()
    actions: [
        BigButton {
            objectName: "printDailyReport"
            text: qsTr("打印日报"); iconName: "print"
            onClicked: DayModel.printReport()
        }
    ]

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        RowLayout {
            spacing: Theme.gap * 2
            Repeater {
                model: [
                    { name: "statToday", label: qsTr("今日收件"), value: DayModel.today + qsTr("件") },
                    { name: "statOnTime", label: qsTr("按时办结率"), value: DayModel.onTime },
                    { name: "statOnSpot", label: qsTr("现场办结率"), value: DayModel.onSpot },
                    { name: "statSatisfaction", label: qsTr("满意率"), value: DayModel.satisfaction }
                ]
                Rectangle {
                    id: tab
                    required property var modelData
                    Layout.preferredWidth: 380
                    Layout.preferredHeight: 170
                    radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                    Column {
                        anchors.centerIn: parent
                        spacing: 4
                        Text {
                            objectName: tab.modelData.name
                            anchors.horizontalCenter: parent.horizontalCenter
                            text: tab.modelData.value
                            font.family: Theme.font; font.pixelSize: Theme.huge; font.bold: true; color: Theme.brand
                        }
                        StaffText { anchors.horizontalCenter: parent.horizontalCenter; text: tab.modelData.label }
                    }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap * 3
            Column {
                Layout.alignment: Qt.AlignTop
                spacing: 8
                StaffText { text: qsTr("每天收件（件）"); font.bold: true }
                Row {
                    spacing: Theme.gap
                    height: 360
                    Repeater {
                        model: DayModel.days
                        Column {
                            id: dayColumn
                            required property var modelData
                            width: 110
                            anchors.bottom: parent.bottom
                            spacing: 4
                            StaffText { anchors.horizontalCenter: parent.horizontalCenter; text: dayColumn.modelData.received }
                            Rectangle {
                                anchors.horizontalCenter: parent.horizontalCenter
                                width: 72
                                height: Math.max(4, 220 * dayColumn.modelData.share)
                                color: Theme.brand
                            }
                            StaffText { anchors.horizontalCenter: parent.horizontalCenter; text: dayColumn.modelData.label }
                        }
                    }
                }
            }
            Column {
                Layout.alignment: Qt.AlignTop
                Layout.fillWidth: true
                spacing: 8
                StaffText { text: qsTr("办得最多的事项"); font.bold: true }
                Repeater {
                    model: DayModel.items
                    StaffText { required property var modelData; required property int index; text: (index + 1) + ". " + modelData.name + "  " + modelData.count + qsTr("件"); elide: Text.ElideRight; width: parent.width; wrapMode: Text.NoWrap }
                }
                StaffText {
                    objectName: "dayMessage"
                    visible: text !== ""
                    text: DayModel.message
                    color: Theme.brand; font.bold: true
                }
            }
        }
    }
}
