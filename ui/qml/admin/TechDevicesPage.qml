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
                Repeater {
                    model: TechModel.health
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
                                text: TechModel.results[modelData.name] || (modelData.name === "scanner" ? qsTr("请在扫码区扫任意二维码") : modelData.name === "rating" ? qsTr("请逐个按下评价器的按键") : "")
                            }
                        }
                        BigButton {
                            objectName: "test_" + modelData.name
                            visible: ["printer", "idcard", "doccam"].indexOf(modelData.name) >= 0
                            text: modelData.name === "printer" ? qsTr("打印测试页") : modelData.name === "idcard" ? qsTr("读卡") : qsTr("拍一张")
                            primaryStyle: false
                            onClicked: modelData.name === "printer" ? TechModel.testPrinter() : modelData.name === "idcard" ? TechModel.testCard() : TechModel.testCamera()
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
