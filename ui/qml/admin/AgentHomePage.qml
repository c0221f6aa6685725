pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import ".."

// The agent's desk: the queues (with how many in each), and the way to 代办 and to the numbers.
// The six queues are two columns of three, so all of them show without scrolling in landscape
// (left of the cases) and in portrait (above them). A case's row says whose it is (the whole
// masked name, wrapped, never cut) and its next deadline, or that it is overdue (⚠ and words).
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
            text: qsTr("办件统计"); iconName: "chart"; primaryStyle: false
            onClicked: NavModel.go("agentDay")
        }
    ]

    GridLayout {
        anchors.fill: parent
        columns: Theme.portrait ? 1 : 2
        columnSpacing: Theme.gap * 2
        rowSpacing: Theme.gap * 2
        GridLayout {
            id: tabs
            objectName: "queueTabs"
            Layout.alignment: Qt.AlignTop
            Layout.fillWidth: Theme.portrait
            Layout.preferredWidth: Theme.portrait ? -1 : 720
            columns: 2
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap
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
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1  // the two columns share the width evenly
                    font.pixelSize: Theme.body
                    text: modelData.label + "  " + (AgentModel.counts[modelData.key] || 0)
                    primaryStyle: AgentModel.queue === modelData.key
                    onClicked: AgentModel.showQueue(modelData.key)
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
                    AbstractButton {
                        id: caseRow
                        required property var modelData
                        required property int index
                        objectName: "caseRow_" + index
                        width: rows.width
                        enabled: modelData.caseId !== ""
                        implicitHeight: lines.implicitHeight + 40
                        onClicked: AgentModel.openCase(modelData.caseId)
                        background: Rectangle {
                            radius: 16
                            color: caseRow.down ? "#DCE7F3" : Theme.card
                            border.color: caseRow.modelData.overdue ? Theme.bad : Theme.brand
                            border.width: caseRow.modelData.overdue ? 5 : 3
                        }
                        contentItem: Item {
                            Column {
                                id: lines
                                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; leftMargin: 20; rightMargin: 20 }
                                spacing: 8
                                Text {
                                    objectName: "caseRowTitle_" + caseRow.index
                                    width: parent.width
                                    text: (caseRow.modelData.applicant ? caseRow.modelData.applicant + "  " : "") + caseRow.modelData.title
                                    font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true
                                    color: Theme.ink
                                    wrapMode: Text.Wrap
                                }
                                Text {
                                    width: parent.width
                                    text: caseRow.modelData.caseNo + "  ·  " + caseRow.modelData.detail
                                    font.family: Theme.font; font.pixelSize: Theme.body
                                    color: Theme.inkSoft
                                    wrapMode: Text.Wrap
                                }
                                Text {
                                    objectName: "caseRowDue_" + caseRow.index
                                    visible: text !== ""
                                    width: parent.width
                                    text: caseRow.modelData.due
                                    font.family: Theme.font; font.pixelSize: Theme.body
                                    font.bold: caseRow.modelData.overdue
                                    color: caseRow.modelData.overdue ? Theme.bad : Theme.ink
                                    wrapMode: Text.Wrap
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
