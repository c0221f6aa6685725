import QtQuick
import QtQuick.Layouts
import ".."

// Every staff screen: a title, who is signed in, the staff idle warning, the content, and a
// big 退出 (sign out, back to the villagers' home screen, everything wiped) at the bottom.
Item {
    id: frame
    property string title: ""
    property bool showBack: true
    default property alias content: body.data
    property alias actions: actionRow.data

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Text {
                text: frame.title
                font.family: Theme.font; font.pixelSize: Theme.title; font.bold: true
                color: Theme.ink
                Layout.fillWidth: true
                wrapMode: Text.Wrap  // a long title takes two lines, never cut with "…"
            }
            Text {
                objectName: "staffWho"
                visible: StaffModel.signedIn
                text: (StaffModel.staffRole === "agent" ? qsTr("代办员") : qsTr("技术员")) + " " + StaffModel.accountName
                font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true
                color: Theme.brand
            }
        }
        Rectangle {
            objectName: "staffIdleWarning"
            visible: StaffModel.idleWarning
            Layout.fillWidth: true
            Layout.preferredHeight: warnText.implicitHeight + 24
            radius: 12; color: "#FFF3E0"; border.color: Theme.warn; border.width: 3
            Text {
                id: warnText
                anchors.centerIn: parent
                text: "⏱ " + StaffModel.idleSecondsLeft + qsTr(" 秒后自动退出，点屏幕任意处继续")
                font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true
                color: Theme.warn
            }
        }
        Item { id: body; Layout.fillWidth: true; Layout.fillHeight: true }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            BigButton {
                objectName: "staffBack"
                visible: frame.showBack
                text: qsTr("返回"); iconName: "back"; primaryStyle: false
                onClicked: NavModel.back()
            }
            BigButton {
                objectName: "staffExit"
                text: qsTr("退出"); iconName: "exit"; primaryStyle: false
                tint: Theme.bad
                onClicked: StaffModel.signOut()
            }
            Item { Layout.fillWidth: true }
            Row { id: actionRow; spacing: Theme.gap }
        }
    }
}
