pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import ".."

// The agent's desk: the queues (with how many in each), and the way to 代办 and to the day's numbers.
StaffFrame {
    objectName: "agentHomePage"
    title: qsTr("代办员工作台")
    showBack: false
    Component.onCompleted: AgentModel.refresh()
    actions: [
        BigButton {
            objectName: "openProxy"
            text: qsTr("代办申请"); iconName: "people"
            onClicked: NavModel.go("agentProxy")
        },
        BigButton {
            objectName: "openDay"
            text: qsTr("今日统计"); iconName: "chart"; primaryStyle: false
            onClicked: NavModel.go("agentDay")
        }
    ]

    RowLayout {
        anchors.fill: parent
        spacing: Theme.gap * 2
        ScrollPane {
            Layout.preferredWidth: 560
            Layout.fillHeight: true
            contentHeight: tabs.implicitHeight
            Column {
                id: tabs
                width: parent.width
                spacing: Theme.gap
                Repeater {
                    model: [
                        { key: "accept", label: qsTr("待受理") },
                        { key: "supplement", label: qsTr("待补正") },
                        { key: "forwarded", label: qsTr("已上报") },
                        { key: "deadline", label: qsTr("临期/超期") },
                        { key: "collect", label: qsTr("待取件") },
                        { key: "sync", label: qsTr("同步失败/冲突") }
                    ]
                    BigButton {
                        id: queueButton
                        required property var modelData
                        objectName: "queue_" + modelData.key
                        width: tabs.width
                        text: modelData.label + "  " + (AgentModel.counts[modelData.key] || 0)
                        primaryStyle: AgentModel.queue === modelData.key
                        onClicked: AgentModel.showQueue(modelData.key)
                    }
                }
            }
        }
        ScrollPane {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: rows.implicitHeight
            Column {
                id: rows
                width: parent.width
                spacing: Theme.gap
                StaffText {
                    objectName: "queueEmpty"
                    visible: AgentModel.rows.length === 0
                    text: qsTr("这一栏没有办件")
                }
                Repeater {
                    model: AgentModel.rows
                    ItemRow {
                        id: caseRow
                        required property var modelData
                        required property int index
                        objectName: "caseRow_" + index
                        width: rows.width
                        name: modelData.caseNo + "  " + modelData.title
                        detail: modelData.detail
                        enabled: modelData.caseId !== ""
                        onClicked: AgentModel.openCase(modelData.caseId)
                    }
                }
            }
        }
    }
}
