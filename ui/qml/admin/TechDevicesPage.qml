import QtQuick
import QtQuick.Layouts
import ".."

// Every device: its state in words, a test, and what the test showed.
StaffFrame {
    objectName: "techDevicesPage"
    title: qsTr("设备检测")
    Component.onCompleted: TechModel.refresh()

    RowLayout {
        anchors.fill: parent
        spacing: Theme.gap * 2
        ScrollPane {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: list.implicitHeight
            Column {
                id: list
                width: parent.width
                spacing: Theme.gap
                // One row per device descriptor (drivers/<device>/device.py): its health, its
                // test (a button, or what to do for a device that reports by itself), the result.
                Repeater {
                    model: TechModel.devices
                    RowLayout {
                        width: list.width
                        spacing: Theme.gap
                        Column {
                            Layout.fillWidth: true
                            spacing: 4
                            StaffText {
                                objectName: "health_" + modelData.name
                                width: parent.width
                                text: (modelData.state === "ok" ? "● " + qsTr("正常") : "○ " + qsTr("异常")) + "  " + modelData.label + (modelData.reason ? "：" + modelData.reason : "")
                                font.bold: true
                                color: modelData.state === "ok" ? Theme.good : Theme.bad
                            }
                            StaffText {
                                objectName: "result_" + modelData.name
                                width: parent.width
                                text: TechModel.results[modelData.name] || (modelData.test === "listen" ? modelData.testLabel : "")
                            }
                        }
                        BigButton {
                            objectName: "test_" + modelData.name
                            visible: modelData.test !== "listen"
                            text: modelData.testLabel
                            primaryStyle: false
                            onClicked: TechModel.testDevice(modelData.name)
                        }
                    }
                }
            }
        }
        Image {
            objectName: "doccamImage"
            visible: TechModel.imageUrl !== ""
            source: TechModel.imageUrl
            Layout.preferredWidth: 480
            Layout.fillHeight: true
            fillMode: Image.PreserveAspectFit
        }
    }
}
