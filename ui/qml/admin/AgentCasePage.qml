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
    title: qsTr("办件") + " " + agentModel.caseNo

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
                StaffText { text: agentModel.caseTitle; font.bold: true; width: col.width }
                StaffText {
                    objectName: "agentWhere"
                    visible: agentModel.whereText !== ""
                    width: col.width
                    text: qsTr("现在在哪里：") + agentModel.whereText
                }
                StaffText {
                    objectName: "applicantFull"
                    width: col.width
                    text: qsTr("申请人：") + (agentModel.applicant.name || "") + "    " + qsTr("身份证号：") + (agentModel.applicant.idNumber || "")
                }
                StaffText {
                    width: col.width
                    text: qsTr("住址：") + (agentModel.applicant.address || "—") + "    " + qsTr("电话：") + (agentModel.applicant.phone || "—")
                }
                StaffText { text: qsTr("申请材料"); font.bold: true }
                Repeater {
                    model: agentModel.materials
                    StaffText { width: col.width; text: "· " + modelData }
                }
                Flow {
                    width: col.width
                    spacing: Theme.gap
                    Repeater {
                        model: agentModel.photos
                        Column {
                            spacing: 8
                            Image { source: modelData.url; width: 240; height: 320; fillMode: Image.PreserveAspectFit; asynchronous: true }
                            StaffText { text: modelData.name }
                        }
                    }
                }
                StaffText { text: qsTr("办理记录"); font.bold: true }
                Repeater {
                    model: agentModel.timeline
                    StaffText { width: col.width; text: modelData.when + "  " + modelData.what }
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
                    text: agentModel.message
                    font.bold: true
                    color: Theme.brand
                }
                Flow {
                    width: side.width
                    spacing: Theme.gap
                    Repeater {
                        model: agentModel.actions
                        BigButton {
                            objectName: "action_" + modelData.action
                            text: modelData.label
                            enabled: !agentModel.busy
                            onClicked: agentModel.act(modelData.action)
                        }
                    }
                }
                BigButton {
                    objectName: "agentSupplement"
                    visible: agentModel.canSupplement
                    text: qsTr("代为补交材料"); glyph: "📷"
                    enabled: !agentModel.busy
                    onClicked: supplementModel.startAsAgent(agentModel.caseId)
                }
                // 补打: any slip the case has had, printed again and marked as a reprint.
                Flow {
                    width: side.width
                    spacing: Theme.gap
                    BigButton {
                        objectName: "openReprints"
                        visible: agentModel.reprints.length > 0
                        text: agentModel.reprintMenu ? qsTr("收起补打") : qsTr("补打凭条"); glyph: "🖨"
                        primaryStyle: false
                        enabled: !agentModel.busy
                        onClicked: agentModel.toggleReprints()
                    }
                    BigButton {
                        objectName: "retryReprint"
                        visible: agentModel.canRetryReprint
                        text: qsTr("重新补打"); primaryStyle: false
                        enabled: !agentModel.busy
                        onClicked: agentModel.retryReprint()
                    }
                }
                Column {
                    objectName: "reprintMenu"
                    visible: agentModel.reprintMenu
                    width: side.width
                    spacing: Theme.gap
                    StaffText { width: side.width; text: qsTr("选择要补打的凭条（会注明“补打”和补打时间）："); font.bold: true }
                    Repeater {
                        model: agentModel.reprints
                        BigButton {
                            objectName: "reprint_" + modelData.kind
                            width: side.width
                            text: modelData.label
                            primaryStyle: false
                            enabled: !agentModel.busy
                            onClicked: agentModel.reprint(modelData.kind)
                        }
                    }
                }
                // What the agent must give for some actions.
                Column {
                    visible: agentModel.actions.some(function(a) { return a.needs === "reason" })
                    width: side.width
                    spacing: Theme.gap
                    StaffText { text: qsTr("退回理由：") + (agentModel.reason || qsTr("（请选择）")); font.bold: true }
                    Flow {
                        width: side.width
                        spacing: Theme.gap
                        Repeater {
                            model: agentModel.reasons
                            BigButton {
                                objectName: "reason_" + index
                                text: modelData; primaryStyle: agentModel.reason === modelData
                                font.pixelSize: Theme.body
                                onClicked: agentModel.setReason(modelData)
                            }
                        }
                    }
                }
                Column {
                    visible: agentModel.actions.some(function(a) { return a.needs === "department" })
                    width: side.width
                    spacing: Theme.gap
                    StaffText { text: qsTr("办结的协办部门：") + (agentModel.department || qsTr("（请选择）")); font.bold: true }
                    Flow {
                        width: side.width
                        spacing: Theme.gap
                        Repeater {
                            model: agentModel.departmentsLeft
                            BigButton {
                                objectName: "department_" + index
                                text: modelData; primaryStyle: agentModel.department === modelData
                                font.pixelSize: Theme.body
                                onClicked: agentModel.setDepartment(modelData)
                            }
                        }
                    }
                }
                Column {
                    visible: agentModel.actions.some(function(a) { return a.needs === "collector" })
                    width: side.width
                    spacing: Theme.gap
                    StaffText { text: qsTr("取件人：") + (agentModel.collector || qsTr("（请选择或输入）")); font.bold: true }
                    Row {
                        spacing: Theme.gap
                        BigButton {
                            objectName: "collectorSelf"
                            text: qsTr("申请人本人"); primaryStyle: false
                            onClicked: agentModel.collectorIsApplicant()
                        }
                        TextField {
                            objectName: "collectorField"
                            width: 520; height: Theme.target
                            font.family: Theme.font; font.pixelSize: Theme.body
                            color: Theme.ink
                            placeholderText: qsTr("代领人姓名")
                            placeholderTextColor: "#4A4A4A"
                            background: Rectangle { color: Theme.card; border.color: Theme.line; border.width: 3; radius: 12 }
                            onTextEdited: agentModel.setCollector(text)
                        }
                    }
                }
                Column {
                    visible: agentModel.actions.some(function(a) { return a.needs === "missing" })
                    width: side.width
                    spacing: Theme.gap
                    StaffText { text: qsTr("一次性告知：请点选缺少的材料"); font.bold: true }
                    Flow {
                        width: side.width
                        spacing: Theme.gap
                        Repeater {
                            model: agentModel.materialNames
                            BigButton {
                                objectName: "missing_" + index
                                text: (agentModel.missing.indexOf(modelData) >= 0 ? "✔ " : "") + modelData
                                primaryStyle: agentModel.missing.indexOf(modelData) >= 0
                                font.pixelSize: Theme.body
                                onClicked: agentModel.toggleMissing(modelData)
                            }
                        }
                    }
                }
            }
        }
    }
}
