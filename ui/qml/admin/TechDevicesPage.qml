pragma ComponentBehavior: Bound
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
                        id: deviceRow
                        required property var modelData
                        width: list.width
                        spacing: Theme.gap
                        Column {
                            Layout.fillWidth: true
                            spacing: 4
                            StaffText {
                                objectName: "health_" + deviceRow.modelData.name
                                width: parent.width
                                // state "" until the first health check has answered: neither 正常 nor 异常 yet
                                text: (deviceRow.modelData.state === "ok" ? "● " + qsTr("正常") : deviceRow.modelData.state === "" ? "…" : "○ " + qsTr("异常")) + "  " + deviceRow.modelData.label + (deviceRow.modelData.reason ? "：" + deviceRow.modelData.reason : "")
                                font.bold: true
                                color: deviceRow.modelData.state === "ok" ? Theme.good : deviceRow.modelData.state === "" ? Theme.ink : Theme.bad
                            }
                            StaffText {
                                objectName: "result_" + deviceRow.modelData.name
                                width: parent.width
                                text: TechModel.results[deviceRow.modelData.name] || (deviceRow.modelData.test === "listen" ? deviceRow.modelData.testLabel : "")
                            }
                            // What the test read besides its result: the printer's paper.
                            StaffText {
                                id: detailText
                                objectName: "detail_" + deviceRow.modelData.name
                                readonly property var detail: TechModel.details[deviceRow.modelData.name] || ({ text: "", tone: "good" })
                                visible: text !== ""
                                width: parent.width
                                text: detailText.detail.text
                                font.bold: true
                                color: detailText.detail.tone === "good" ? Theme.good : detailText.detail.tone === "warn" ? Theme.warn : Theme.bad
                            }
                        }
                        BigButton {
                            objectName: "test_" + deviceRow.modelData.name
                            visible: deviceRow.modelData.test !== "listen"
                            text: deviceRow.modelData.testLabel
                            primaryStyle: false
                            onClicked: TechModel.testDevice(deviceRow.modelData.name)
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
