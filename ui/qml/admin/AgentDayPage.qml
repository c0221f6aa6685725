pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import ".."

// The last seven days (today the last of them) at a glance: big numbers in words first, then
// bars a village head reads at once. Every number counts the same seven days, as the title says;
// 打印今日日报 prints today's counts only, as its words say.
StaffFrame {
    objectName: "agentDayPage"
    title: qsTr("近7天办件统计")
    Component.onCompleted: DayModel.refresh()
    actions: [
        BigButton {
            objectName: "printDailyReport"
            text: qsTr("打印今日日报"); iconName: "print"
            onClicked: DayModel.printReport()
        }
    ]

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        // Four tiles in a row in landscape, two by two in portrait.
        GridLayout {
            Layout.fillWidth: true
            columns: Theme.portrait ? 2 : 4
            columnSpacing: Theme.gap * 2
            rowSpacing: Theme.gap
            Repeater {
                model: [
                    { name: "statReceived", label: qsTr("收件"), value: DayModel.received + qsTr("件") },
                    { name: "statOnTime", label: qsTr("按时办结率"), value: DayModel.onTime },
                    { name: "statOnSpot", label: qsTr("现场办结率"), value: DayModel.onSpot },
                    { name: "statSatisfaction", label: qsTr("满意率"), value: DayModel.satisfaction }
                ]
                Rectangle {
                    id: tab
                    required property var modelData
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1  // the columns share the width evenly
                    // As tall as its words need (大字 makes them larger), never less than 170.
                    Layout.preferredHeight: Math.max(170, tabWords.implicitHeight + 48)
                    radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                    Column {
                        id: tabWords
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
        // The bars beside the most asked-for items in landscape, above them in portrait.
        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: Theme.portrait ? 1 : 2
            columnSpacing: Theme.gap * 3
            rowSpacing: Theme.gap * 2
            Column {
                id: chart
                Layout.alignment: Qt.AlignTop
                Layout.fillHeight: true
                Layout.preferredWidth: bars.implicitWidth
                Layout.maximumHeight: 360 + chartTitle.height + spacing
                spacing: 8
                StaffText { id: chartTitle; text: qsTr("每天收件（件）"); font.bold: true }
                Row {
                    id: bars
                    objectName: "dayBars"
                    spacing: Theme.gap
                    // The room left (大字 leaves less), up to 360: the bars never run under
                    // the page's buttons.
                    height: chart.height - chartTitle.height - chart.spacing
                    // Room for the tallest bar: the height less its number and its date.
                    readonly property real room: Math.max(40, height - 2 * Theme.body * 1.5 - 8)
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
                                height: Math.max(4, Math.min(220, bars.room) * dayColumn.modelData.share)
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
