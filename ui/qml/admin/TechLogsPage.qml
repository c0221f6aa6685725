import QtQuick
import ".."

// The last 200 log lines, with ID numbers, phone numbers and names masked.
StaffFrame {
    objectName: "techLogsPage"
    title: qsTr("日志（个人信息已隐藏）")
    Component.onCompleted: TechModel.loadLogs()
    actions: [
        BigButton { objectName: "reloadLogs"; text: qsTr("刷新"); iconName: "refresh"; primaryStyle: false; onClicked: TechModel.loadLogs() }
    ]
    ScrollPane {
        anchors.fill: parent
        contentHeight: logText.implicitHeight
        StaffText {
            id: logText
            objectName: "logText"
            width: parent.width
            text: TechModel.logs || qsTr("（暂无日志）")
            font.family: "Noto Sans Mono CJK SC"
            font.pixelSize: 28
            wrapMode: Text.WrapAnywhere
        }
    }
}
