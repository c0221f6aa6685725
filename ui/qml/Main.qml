import QtQuick
import QtQuick.Window
import QtQuick.Layouts

// The kiosk window: a status bar, then the page `navModel.page` names. No business rule lives here.
Window {
    id: root
    width: 1920
    height: 1080
    visible: true
    color: Theme.paper
    title: qsTr("乡里办")

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            objectName: "statusBar"
            Layout.fillWidth: true
            Layout.preferredHeight: 110
            color: Theme.brand
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.margin
                anchors.rightMargin: Theme.margin
                spacing: Theme.gap * 2
                Text {
                    text: qsTr("乡里办") + " · " + statusModel.station
                    color: Theme.brandInk; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true
                }
                Item { Layout.fillWidth: true }
                Text {
                    text: statusModel.dateText + "  " + statusModel.timeText
                    color: Theme.brandInk; font.family: Theme.font; font.pixelSize: Theme.body
                }
                Rectangle {
                    objectName: "syncBadge"
                    radius: 12
                    color: statusModel.online ? "#E8F5E9" : "#FFF3E0"
                    border.color: statusModel.online ? Theme.good : Theme.warn
                    border.width: 3
                    implicitWidth: syncText.implicitWidth + 48
                    implicitHeight: 72
                    Text {
                        id: syncText
                        objectName: "syncText"
                        anchors.centerIn: parent
                        text: (statusModel.online ? "● " : "○ ") + statusModel.syncText
                        color: statusModel.online ? Theme.good : Theme.warn
                        font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true
                    }
                }
            }
        }

        Loader {
            id: pageLoader
            objectName: "pageLoader"
            Layout.fillWidth: true
            Layout.fillHeight: true
            source: {
                const pages = {
                    "home": "HomePage.qml", "categories": "CategoriesPage.qml", "items": "ItemsPage.qml",
                    "guide": "GuidePage.qml", "apply": "ApplyPage.qml", "receipt": "ReceiptPage.qml",
                    "progress": "ProgressPage.qml", "rate": "RatePage.qml", "notices": "NoticesPage.qml",
                    "help": "HelpPage.qml"
                }
                return pages[navModel.page] || "HomePage.qml"
            }
        }
    }
}
