pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

// 补交材料: the materials the 一次性告知书 listed, each page photographed with the document
// camera, handed in with one tap once all are there; then one plain sentence and a slip.
PageFrame {
    id: page
    objectName: "supplementPage"
    title: qsTr("补交材料")
    showBack: !SupplementModel.done
    spoken: qsTr("请把要补交的材料放在拍照台上，每一页点一次拍照")
    actions: [
        BigButton {
            objectName: "printSupplementSlip"
            visible: SupplementModel.canPrint && !SupplementModel.printed
            primaryStyle: false
            text: qsTr("打印凭条"); iconName: "receipt"
            onClicked: SupplementModel.printSlip()
        },
        BigButton {
            objectName: "supplementFinish"
            visible: SupplementModel.done
            text: qsTr("完成"); iconName: "check"
            onClicked: SupplementModel.finish()
        },
        BigButton {
            objectName: "submitSupplement"
            visible: SupplementModel.ready
            enabled: SupplementModel.complete && !SupplementModel.busy
            text: SupplementModel.busy && SupplementModel.complete ? qsTr("请稍候…") : qsTr("确认补交"); iconName: "check"
            onClicked: SupplementModel.submit()
        }
    ]

    // Opening the case, or why it cannot be supplemented here.
    Column {
        visible: !SupplementModel.ready && !SupplementModel.done
        width: parent.width
        spacing: Theme.gap
        Text {
            visible: SupplementModel.loading
            width: parent.width
            text: qsTr("正在打开办件…")
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink
        }
        Rectangle {
            objectName: "supplementProblem"
            visible: SupplementModel.problem !== ""
            width: parent.width
            height: problemText.implicitHeight + 40
            radius: 16; color: "#FFF3E0"; border.color: Theme.warn; border.width: 3
            Text {
                id: problemText
                objectName: "supplementProblemText"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: "⚠ " + SupplementModel.problem
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.warn; wrapMode: Text.Wrap
            }
        }
    }

    // Photographing what is listed.
    ScrollPane {
        visible: SupplementModel.ready
        anchors.fill: parent
        contentHeight: steps.implicitHeight
        Column {
            id: steps
            width: parent.width
            spacing: Theme.gap
            Rectangle {
                width: parent.width
                height: caseInfo.implicitHeight + 32
                radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                GridLayout {
                    id: caseInfo
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 16 }
                    columns: 2
                    columnSpacing: Theme.gap
                    rowSpacing: 8
                    Text { text: qsTr("办件编号"); font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft }
                    Text { objectName: "supplementCaseNo"; text: SupplementModel.caseNo; font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true; color: Theme.ink }
                    Text { text: qsTr("事项"); font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft }
                    Text { text: SupplementModel.itemName; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap; Layout.fillWidth: true }
                    Text { text: qsTr("申请人"); font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.inkSoft }
                    Text { text: SupplementModel.applicantName; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink }
                }
            }
            Text {
                width: parent.width
                text: qsTr("告知书上要补的材料都在下面。放在拍照台上，每一页点一次“拍照”。")
                font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
            }
            Repeater {
                model: SupplementModel.materials
                MaterialCard {
                    id: material
                    required property var modelData
                    width: steps.width
                    row: modelData
                    vm: SupplementModel
                }
            }
            Text {
                objectName: "supplementMissing"
                width: parent.width
                text: SupplementModel.complete
                      ? qsTr("✔ 都拍好了。请点右下角“确认补交”。")
                      : qsTr("还差%1页没拍：").arg(SupplementModel.missingPages) + SupplementModel.missingText + qsTr("。都拍好了才能交。")
                font.family: Theme.font; font.pixelSize: Theme.primary
                color: SupplementModel.complete ? Theme.good : Theme.warn
                wrapMode: Text.Wrap
            }
            Rectangle {
                objectName: "supplementError"
                visible: SupplementModel.error !== ""
                width: parent.width
                height: errText.implicitHeight + 40
                radius: 16; color: "#FDECEA"; border.color: Theme.bad; border.width: 3
                Text {
                    id: errText
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                    text: "⚠ " + SupplementModel.error
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
                }
            }
        }
    }

    // Handed in: one plain sentence, the case number, the slip.
    ColumnLayout {
        visible: SupplementModel.done
        anchors.fill: parent
        spacing: Theme.gap
        Text {
            objectName: "supplementDoneText"
            Layout.fillWidth: true
            text: "✔ " + qsTr("材料已补交，工作人员会继续办理。")
            font.family: Theme.font; font.pixelSize: Theme.huge; font.bold: true; color: Theme.good; wrapMode: Text.Wrap
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("办件编号：") + SupplementModel.caseNo
            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
        }
        Rectangle {
            objectName: "supplementPrintStatus"
            visible: SupplementModel.printMessage !== ""
            Layout.fillWidth: true
            Layout.preferredHeight: printText.implicitHeight + 40
            radius: 16
            color: SupplementModel.printed ? "#E8F5E9" : "#FFF3E0"
            border.color: SupplementModel.printed ? Theme.good : Theme.warn
            border.width: 3
            Text {
                id: printText
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: (SupplementModel.printed ? "" : "⚠ ") + SupplementModel.printMessage
                font.family: Theme.font; font.pixelSize: Theme.primary; color: SupplementModel.printed ? Theme.good : Theme.warn; wrapMode: Text.Wrap
            }
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("以后可以在本机“进度查询”查看办理进度。")
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
        }
        Item { Layout.fillHeight: true }
    }
}
