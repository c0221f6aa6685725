import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import QtQuick.Controls.impl

Item {
    objectName: "homePage"
    property string spoken: qsTr("您好，请点击您要办的事")
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap * 2
        Text {
            text: qsTr("您好！请点击您要办的事")
            font.family: Theme.font; font.pixelSize: Theme.title; font.bold: true; color: Theme.ink
        }
        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: Theme.portrait ? 2 : 4
            rowSpacing: Theme.gap * 2
            columnSpacing: Theme.gap * 2
            Tile {
                objectName: "tileGuide"; iconName: "book"; label: qsTr("办事指南"); hint: qsTr("看看要带什么")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: NavModel.go("categories")
            }
            Tile {
                objectName: "tileApply"; iconName: "apply"; label: qsTr("我要办理"); hint: qsTr("刷身份证就能办")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: NavModel.go("applyStart")
            }
            Tile {
                objectName: "tileProgress"; iconName: "search"; label: qsTr("进度查询"); hint: qsTr("扫回执上的二维码")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: { ProgressModel.clear(); NavModel.go("progress") }
            }
            Tile {
                objectName: "tileRate"; iconName: "smile"; label: qsTr("服务评价"); hint: qsTr("扫回执，说说满不满意")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: { ProgressModel.clear(); NavModel.go("rateFind") }
            }
            Tile {
                objectName: "tileNotices"; iconName: "megaphone"; label: qsTr("三务公开"); hint: qsTr("党务 村务 财务")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: NavModel.go("notices")
            }
            Tile {
                objectName: "tileAppointments"; iconName: "calendar"; label: qsTr("预约办事"); hint: qsTr("约好时间去镇、县")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: { AppointmentsModel.clear(); NavModel.go("appointments") }
            }
            Tile {
                objectName: "tileFeedback"; iconName: "speech"; label: qsTr("投诉建议"); hint: qsTr("可以不留名")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: { FeedbackModel.clear(); NavModel.go("feedback") }
            }
            Tile {
                objectName: "tileHelp"; iconName: "person"; label: qsTr("找代办员"); hint: qsTr("不会操作？请找代办员")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: NavModel.go("help")
            }
        }
        // The newest notices scroll by at the bottom; a tap opens the list.
        AbstractButton {
            objectName: "noticeBanner"
            visible: NoticesModel.banner !== ""
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.target
            onClicked: NavModel.go("notices")
            background: Rectangle { radius: 12; color: Theme.card; border.color: Theme.brand; border.width: 3 }
            contentItem: Item {
              IconImage {
                id: bannerIcon
                objectName: "bannerIcon"
                source: Qt.resolvedUrl("../../assets/icons/megaphone.svg")
                width: Math.round(Theme.body * 1.3); height: width
                sourceSize.width: width; sourceSize.height: height
                color: Theme.brand
                anchors.left: parent.left; anchors.leftMargin: 8
                anchors.verticalCenter: parent.verticalCenter
              }
              Item {
                clip: true
                anchors.left: bannerIcon.right; anchors.leftMargin: 12
                anchors.right: parent.right; anchors.top: parent.top; anchors.bottom: parent.bottom
                Text {
                    id: bannerText
                    objectName: "bannerText"
                    anchors.verticalCenter: parent.verticalCenter
                    text: NoticesModel.banner
                    font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink
                    NumberAnimation on x {
                        from: bannerText.parent.width; to: -bannerText.implicitWidth
                        duration: Math.max(8000, (bannerText.implicitWidth + bannerText.parent.width) * 8)
                        loops: Animation.Infinite
                        running: bannerText.visible && bannerText.implicitWidth > 0
                    }
                }
              }
            }
        }
    }
}
