import QtQuick
import QtQuick.Layouts
import ".."

// The agent's desk: the queues (with how many in each), and the way to 代办 and to the day's numbers.
StaffFrame {
    objectName: "agentHomePage"
    title: qsTr("代办员工作台")
    showBack: false
    Component.onCompleted: agentModel.refresh()
    actions: [
        BigButton {
            objectName: "openProxy"
            text: qsTr("代办申请"); glyph: "🤝"
            onClicked: navModel.go("agentProxy")
        },
        BigButton {
            objectName: "openDay"
            text: qsTr("今日统计"); glyph: "📊"; primaryStyle: false
            onClicked: navModel.go("agentDay")
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
                        objectName: "queue_" + modelData.key
                        width: tabs.width
                        text: modelData.label + "  " + (agentModel.counts[modelData.key] || 0)
                        primaryStyle: agentModel.queue === modelData.key
                        onClicked: agentModel.showQueue(modelData.key)
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
                    visible: agentModel.rows.length === 0
                    text: qsTr("这一栏没有办件")
                }
                Repeater {
                    model: agentModel.rows
                    ItemRow {
                        objectName: "caseRow_" + index
                        width: rows.width
                        name: modelData.caseNo + "  " + modelData.title
                        detail: modelData.detail
                        enabled: modelData.caseId !== ""
                        onClicked: agentModel.openCase(modelData.caseId)
                    }
                }
            }
        }
    }
}
