pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import ".."

// One case for the agent: the applicant (full ID number only here), where the case is, materials
// and photos, the history, and the actions its kind and state allow (from the transition table);
// 代为补交材料 on a case waiting for materials, and 补打 of any slip the case has had.
// Landscape: the case on the left, what to do on the right; portrait: one above the other.
StaffFrame {
    objectName: "agentCasePage"
    title: qsTr("办件") + " " + AgentModel.caseNo

    GridLayout {
        anchors.fill: parent
        columns: Theme.portrait ? 1 : 2
        columnSpacing: Theme.gap * 2
        rowSpacing: Theme.gap
        ScrollPane {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: col.implicitHeight
            Column {
                id: col
                width: parent.width
                spacing: Theme.gap
                StaffText { text: AgentModel.caseTitle; font.bold: true; width: col.width }
                StaffText {
                    objectName: "agentWhere"
                    visible: AgentModel.whereText !== ""
                    width: col.width
                    text: qsTr("现在在哪里：") + AgentModel.whereText
                }
                StaffText {
                    objectName: "caseAgent"
                    visible: AgentModel.caseAgent !== ""
                    width: col.width
                    text: qsTr("全程代办：") + AgentModel.caseAgent
                }
                StaffText {
                    objectName: "applicantFull"
                    width: col.width
                    text: qsTr("申请人：") + (AgentModel.applicant.name || "") + "    " + qsTr("身份证号：") + (AgentModel.applicant.idNumber || "")
                }
                StaffText {
                    objectName: "applicantContact"
                    width: col.width
                    text: qsTr("住址：") + (AgentModel.applicant.address || "—") + "    " + qsTr("电话：") + (AgentModel.applicant.phone || "—")
                }
                StaffText { text: qsTr("申请材料"); font.bold: true }
                Repeater {
                    model: AgentModel.materials
                    StaffText { required property var modelData; width: col.width; text: "· " + modelData }
                }
                Flow {
                    width: col.width
                    spacing: Theme.gap
                    Repeater {
                        model: AgentModel.photos
                        Column {
                            id: photoColumn
                            required property var modelData
                            spacing: 8
                            Image { source: photoColumn.modelData.url; width: 240; height: 320; fillMode: Image.PreserveAspectFit; asynchronous: true }
                            StaffText { text: photoColumn.modelData.name }
                        }
                    }
                }
                StaffText { text: qsTr("办理记录"); font.bold: true }
                Repeater {
                    model: AgentModel.timeline
                    StaffText { required property var modelData; width: col.width; text: modelData.when + "  " + modelData.what }
                }
            }

        }
        ScrollPane {
            Layout.preferredWidth: Theme.portrait ? -1 : 760
            Layout.fillWidth: Theme.portrait
            Layout.fillHeight: true
            contentHeight: side.implicitHeight
            Column {
                id: side
                width: parent.width
                spacing: Theme.gap
                StaffText {
                    objectName: "caseMessage"
                    visible: text !== ""
                    width: side.width
                    text: AgentModel.message
                    font.bold: true
                    color: Theme.brand
                }
                // The actions; one that needs something is chosen first, and then only its
                // choices show, with 确认 and 取消 (nothing to pick before an action is chosen).
                Flow {
                    visible: AgentModel.chosen === ""
                    width: side.width
                    spacing: Theme.gap
                    Repeater {
                        model: AgentModel.actions
                        BigButton {
                            id: actionButton
                            required property var modelData
                            objectName: "action_" + modelData.action
                            text: modelData.label
                            enabled: !AgentModel.busy
                            onClicked: AgentModel.choose(modelData.action)
                        }
                    }
                }
                Column {
                    objectName: "chosenAction"
                    visible: AgentModel.chosen !== ""
                    width: side.width
                    spacing: Theme.gap
                    StaffText {
                        width: side.width
                        text: AgentModel.chosenLabel
                        font.pixelSize: Theme.primary; font.bold: true
                    }
                    Column {
                        visible: AgentModel.chosenNeeds === "reason"
                        width: side.width
                        spacing: Theme.gap
                        StaffText { text: qsTr("退回理由：") + (AgentModel.reason || qsTr("（请选择）")); font.bold: true }
                        Flow {
                            width: side.width
                            spacing: Theme.gap
                            Repeater {
                                model: AgentModel.reasons
                                BigButton {
                                    id: reasonButton
                                    required property var modelData
                                    required property int index
                                    objectName: "reason_" + index
                                    text: modelData; primaryStyle: AgentModel.reason === modelData
                                    font.pixelSize: Theme.body
                                    onClicked: AgentModel.setReason(modelData)
                                }
                            }
                        }
                    }
                    Column {
                        visible: AgentModel.chosenNeeds === "department"
                        width: side.width
                        spacing: Theme.gap
                        StaffText { text: qsTr("办结的协办部门：") + (AgentModel.department || qsTr("（请选择）")); font.bold: true }
                        Flow {
                            width: side.width
                            spacing: Theme.gap
                            Repeater {
                                model: AgentModel.departmentsLeft
                                BigButton {
                                    id: departmentButton
                                    required property var modelData
                                    required property int index
                                    objectName: "department_" + index
                                    text: modelData; primaryStyle: AgentModel.department === modelData
                                    font.pixelSize: Theme.body
                                    onClicked: AgentModel.setDepartment(modelData)
                                }
                            }
                        }
                    }
                    Column {
                        visible: AgentModel.chosenNeeds === "collector"
                        width: side.width
                        spacing: Theme.gap
                        StaffText { text: qsTr("取件人：") + (AgentModel.collector || qsTr("（请选择或输入）")); font.bold: true }
                        Flow {
                            width: side.width
                            spacing: Theme.gap
                            BigButton {
                                objectName: "collectorSelf"
                                text: qsTr("申请人本人"); primaryStyle: false
                                onClicked: AgentModel.collectorIsApplicant()
                            }
                            TextField {
                                objectName: "collectorField"
                                width: 520; height: Theme.target
                                font.family: Theme.font; font.pixelSize: Theme.body
                                color: Theme.ink
                                placeholderText: qsTr("代领人姓名")
                                placeholderTextColor: "#4A4A4A"
                                background: Rectangle { color: Theme.card; border.color: Theme.line; border.width: 3; radius: 12 }
                                onTextEdited: AgentModel.setCollector(text)
                                // A choice put away (取消, or done) leaves no name behind.
                                onVisibleChanged: if (!visible) clear()
                            }
                        }
                    }
                    Column {
                        visible: AgentModel.chosenNeeds === "missing"
                        width: side.width
                        spacing: Theme.gap
                        StaffText { text: qsTr("一次性告知：请点选缺少的材料"); font.bold: true }
                        Flow {
                            width: side.width
                            spacing: Theme.gap
                            Repeater {
                                model: AgentModel.materialNames
                                BigButton {
                                    id: missingButton
                                    required property var modelData
                                    required property int index
                                    objectName: "missing_" + index
                                    text: (AgentModel.missing.indexOf(modelData) >= 0 ? "✔ " : "") + modelData
                                    primaryStyle: AgentModel.missing.indexOf(modelData) >= 0
                                    font.pixelSize: Theme.body
                                    onClicked: AgentModel.toggleMissing(modelData)
                                }
                            }
                        }
                    }
                    Column {
                        visible: AgentModel.chosenNeeds === "agent"
                        width: side.width
                        spacing: Theme.gap
                        StaffText { width: side.width; text: qsTr("由谁全程代办：") + (AgentModel.agent || qsTr("（请选择）")); font.bold: true }
                        Flow {
                            width: side.width
                            spacing: Theme.gap
                            Repeater {
                                model: AgentModel.agentChoices
                                BigButton {
                                    id: agentButton
                                    required property var modelData
                                    required property int index
                                    objectName: "agentChoice_" + index
                                    text: modelData; primaryStyle: AgentModel.agent === modelData
                                    font.pixelSize: Theme.body
                                    onClicked: AgentModel.setAgent(modelData)
                                }
                            }
                        }
                    }
                    Row {
                        spacing: Theme.gap
                        BigButton {
                            objectName: "confirmAction"
                            text: qsTr("确认") + AgentModel.chosenLabel
                            enabled: !AgentModel.busy
                            onClicked: AgentModel.confirm()
                        }
                        BigButton {
                            objectName: "cancelAction"
                            text: qsTr("取消"); primaryStyle: false
                            enabled: !AgentModel.busy
                            onClicked: AgentModel.cancelChoice()
                        }
                    }
                }
                BigButton {
                    objectName: "agentSupplement"
                    visible: AgentModel.canSupplement
                    text: qsTr("代为补交材料"); iconName: "camera"
                    enabled: !AgentModel.busy
                    onClicked: SupplementModel.startAsAgent(AgentModel.caseId)
                }
                // 补打: any slip the case has had, printed again and marked as a reprint.
                Flow {
                    width: side.width
                    spacing: Theme.gap
                    BigButton {
                        objectName: "openReprints"
                        visible: AgentModel.reprints.length > 0
                        text: AgentModel.reprintMenu ? qsTr("收起补打") : qsTr("补打凭条"); iconName: "print"
                        primaryStyle: false
                        enabled: !AgentModel.busy
                        onClicked: AgentModel.toggleReprints()
                    }
                    BigButton {
                        objectName: "retryReprint"
                        visible: AgentModel.canRetryReprint
                        text: qsTr("重新补打"); primaryStyle: false
                        enabled: !AgentModel.busy
                        onClicked: AgentModel.retryReprint()
                    }
                }
                Column {
                    objectName: "reprintMenu"
                    visible: AgentModel.reprintMenu
                    width: side.width
                    spacing: Theme.gap
                    StaffText { width: side.width; text: qsTr("选择要补打的凭条（会注明“补打”和补打时间）："); font.bold: true }
                    Repeater {
                        model: AgentModel.reprints
                        BigButton {
                            id: reprintButton
                            required property var modelData
                            objectName: "reprint_" + modelData.kind
                            width: side.width
                            text: modelData.label
                            primaryStyle: false
                            enabled: !AgentModel.busy
                            onClicked: AgentModel.reprint(modelData.kind)
                        }
                    }
                }
            }
        }
    }
}
