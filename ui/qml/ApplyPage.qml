pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

PageFrame {
    id: page
    objectName: "applyPage"
    title: Theme.keyboardUp ? "" : qsTr("办理：") + ApplyModel.itemName
    spoken: qsTr("请把身份证放在读卡区，然后点击读取身份证")
    property bool typing: false
    // Each later step is said too, when voice is on: what to do next, and any error.
    readonly property string stepSpoken: !ApplyModel.hasApplicant ? ""
        : ApplyModel.missingText !== "" ? qsTr("身份证已读好。请核对信息，再把要交的材料放好，点拍照。")
        : qsTr("请核对信息，然后点确认提交。")
    onStepSpokenChanged: if (stepSpoken !== "") AccessModel.say(stepSpoken)
    // The 短信提醒 question is said as it appears (a number was typed), when voice is on.
    readonly property string smsSpoken: ApplyModel.smsOffered ? smsToggle.text + "。" + smsHint.text : ""
    onSmsSpokenChanged: if (smsSpoken !== "") AccessModel.say(smsSpoken)  // and its new state after a tap
    readonly property string errorSpoken: ApplyModel.error
    onErrorSpokenChanged: if (errorSpoken !== "") AccessModel.say(errorSpoken)

    // The steps shown, each [top, bottom] in the pane's content.
    function stepSpans(): list<real> {
        const spans = []
        for (let i = 0; i < steps.children.length; ++i) {
            const c = steps.children[i]
            if (c.visible && c.height > 0) spans.push(c.y, c.y + c.height)
        }
        return spans
    }
    // The pane's height from `top`: all that is left when it fits in `room`, else down to the
    // bottom of the last step that fits whole (all of `room` when the first step alone is taller).
    function fitted(top: real, room: real): real {
        const spans = stepSpans()
        if (spans.length === 0) return room
        const left = spans[spans.length - 1] - top
        if (left <= room) return Math.max(left, 0)
        let best = 0
        for (let i = 1; i < spans.length; i += 2) {
            const bottom = spans[i] - top
            if (bottom > 0 && bottom <= room) best = bottom
        }
        return best > 0 ? best : room
    }
    // Set when what the pane shows or the room for it changed (not a binding: the pane's width,
    // and so its steps' heights, follow whether it scrolls).
    property real paneHeight: 0
    function refit(): void {
        const room = pane.room - (hints.implicitHeight > 0 ? hints.implicitHeight + Theme.gap : 0)
        paneHeight = fitted(pane.flickable.contentY, room)
    }
    // A scroll (▲▼) starts the pane at a step's top, so the top step is whole too.
    property real lastTop: 0
    property bool snapping: false
    function snap(): void {
        const flick = pane.flickable
        if (snapping) return
        const y = flick.contentY, down = y > lastTop
        const spans = stepSpans()
        let to = y
        for (let i = 0; i < spans.length; i += 2) {
            // ▼: to the first step that was not wholly shown; ▲: to the top of the step it
            // stopped in.
            if (down ? spans[i + 1] > lastTop + pane.height + 0.5 : spans[i] < y && spans[i + 1] > y) {
                to = spans[i]
                // A jump further than a ▼ (ScrollPane's ▼ moves 0.8 of the pane: a field taking
                // the focus, a driver bringing a button into view): to the last step that starts
                // above the bottom of the view asked for, so what was asked for shows whole.
                if (down && y - lastTop > pane.height * 0.8 + 1) {
                    for (let j = i; j < spans.length; j += 2)
                        if (spans[j] < y + pane.height) to = spans[j]
                }
                break
            }
        }
        to = Math.max(0, Math.min(to, spans.length > 0 ? spans[spans.length - 2] : 0))
        snapping = true
        flick.contentY = to
        lastTop = to
        snapping = false
    }
    // The pane starts at `step` (a step of the pane's), as a scroll (▲▼) would stop there.
    function showStep(step: Item): void {
        const spans = stepSpans()
        const to = Math.max(0, Math.min(step.y, spans.length > 0 ? spans[spans.length - 2] : 0))
        snapping = true
        pane.flickable.contentY = to
        lastTop = to
        snapping = false
        refit()
    }
    actions: [
        BigButton {
            objectName: "readCardButton"
            visible: !ApplyModel.hasApplicant && !page.typing
            enabled: !ApplyModel.busy
            text: ApplyModel.busy ? qsTr("正在读卡…") : qsTr("读取身份证"); iconName: "card"
            onClicked: ApplyModel.readCard()
        },
        BigButton {
            objectName: "readProxyCardButton"
            visible: ApplyModel.hasApplicant && ApplyModel.proxyMode && !ApplyModel.hasProxy
            enabled: !ApplyModel.busy
            text: qsTr("读取代办人身份证"); iconName: "card"
            onClicked: ApplyModel.readCard()
        },
        BigButton {
            objectName: "submitButton"
            visible: ApplyModel.hasApplicant && (!ApplyModel.proxyMode || ApplyModel.hasProxy)
            enabled: !ApplyModel.busy
            text: ApplyModel.busy ? qsTr("请稍候…") : qsTr("确认提交"); iconName: "check"
            onClicked: ApplyModel.submit()
        }
    ]
    Connections {
        target: ApplyModel
        function onCase_saved(caseId) { NavModel.replace("receipt") }
    }
    // The steps scroll (▲▼) above the hints; the pane ends below the last whole step it can
    // show and each scroll stops at a step's top, so no card or 拍照 button is ever cut in half.
    ScrollPane {
        id: pane
        objectName: "applySteps"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: page.paneHeight
        readonly property real room: parent ? parent.height : 0  // the page's body
        onRoomChanged: Qt.callLater(page.refit)
        contentHeight: steps.implicitHeight
        onWidthChanged: Qt.callLater(page.refit)
        Connections {
            target: pane.flickable
            function onContentYChanged() { page.snap(); Qt.callLater(page.refit) }
        }
        Column {
            id: steps
            width: parent.width
            spacing: Theme.gap
            onImplicitHeightChanged: Qt.callLater(page.refit)

            // Step 1: who is applying.
            Rectangle {
                visible: !ApplyModel.hasApplicant && !page.typing
                width: parent.width
                height: intro.implicitHeight + 48
                radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                Text {
                    id: intro
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                    text: ApplyModel.proxyMode
                        ? qsTr("替家人办理：先读取申请人（您的家人）的身份证，再读取您本人的身份证。")
                        : qsTr("第一步：请把您的身份证放在读卡区，然后点击右下角“读取身份证”。\n不用手写，信息会自动填好。")
                    font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink; wrapMode: Text.Wrap
                }
            }
            Flow {
                visible: !ApplyModel.hasApplicant && !page.typing
                width: parent.width
                spacing: Theme.gap
                BigButton {
                    objectName: "proxyToggle"
                    primaryStyle: false
                    text: ApplyModel.proxyMode ? qsTr("替家人办理：是") : qsTr("替家人办理：否")
                    iconName: ApplyModel.proxyMode ? "check" : ""
                    onClicked: ApplyModel.setProxyMode(!ApplyModel.proxyMode)
                }
                BigButton {
                    objectName: "typeIdButton"
                    primaryStyle: false
                    text: qsTr("没带身份证？手动输入")
                    onClicked: page.typing = true
                }
            }
            // Typing the number, for those without a card at hand.
            GridLayout {
                visible: page.typing && !ApplyModel.hasApplicant
                columns: 2
                columnSpacing: Theme.gap
                rowSpacing: Theme.gap
                Text { text: qsTr("申请人姓名"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
                TextField {
                    id: typedName
                    objectName: "typedName"
                    Layout.preferredWidth: 640; Layout.preferredHeight: Theme.target
                    font.family: Theme.font; font.pixelSize: Theme.primary
                }
                Text { text: qsTr("身份证号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.ink }
                NumberField {
                    id: typedId
                    objectName: "typedId"
                    allowX: true
                    maximumLength: 18
                    Layout.preferredWidth: 640; Layout.preferredHeight: Theme.target
                }
                BigButton {
                    objectName: "typedCancel"
                    primaryStyle: false
                    text: qsTr("改用读卡")
                    onClicked: page.typing = false
                }
                BigButton {
                    objectName: "typedOk"
                    text: qsTr("确定"); iconName: "check"
                    onClicked: ApplyModel.typeApplicant(typedName.text, typedId.text)
                }
            }

            // Step 2: check the details.
            Rectangle {
                objectName: "applicantCard"
                visible: ApplyModel.hasApplicant
                width: parent.width
                height: form.implicitHeight + 48
                radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                GridLayout {
                    id: form
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                    columns: 2
                    columnSpacing: Theme.gap * 2
                    rowSpacing: 12
                    Text { text: qsTr("申请人"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text { objectName: "applicantName"; text: ApplyModel.applicantName; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                    Text { text: qsTr("身份证号"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text { objectName: "idMasked"; text: ApplyModel.idMasked; font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink }
                    Text { visible: ApplyModel.address !== ""; text: qsTr("住址"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text { visible: ApplyModel.address !== ""; text: ApplyModel.address; font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap; Layout.fillWidth: true }
                    Text { visible: ApplyModel.proxyMode; text: qsTr("代办人"); font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft }
                    Text {
                        objectName: "proxyLine"
                        visible: ApplyModel.proxyMode
                        text: ApplyModel.hasProxy ? ApplyModel.proxyName + "  " + ApplyModel.proxyIdMasked : qsTr("请读取您本人的身份证")
                        font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: ApplyModel.hasProxy; color: Theme.ink
                    }
                }
            }

            // Step 2, too (optional): a phone typed on the number pad for 短信提醒. The question
            // comes only once a number is typed, and stays 否 until the villager taps it. Its
            // own step, so that with the pad up it is shown whole, on its own if need be.
            Rectangle {
                id: phoneStep
                objectName: "phoneStep"
                visible: ApplyModel.hasApplicant
                width: parent.width
                height: phoneForm.implicitHeight + 48
                radius: 16; color: Theme.card; border.color: Theme.brand; border.width: 3
                Column {
                    id: phoneForm
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 }
                    spacing: Theme.gap  // the field and the switch: two targets, a gap apart
                    Flow {
                        width: parent.width
                        spacing: Theme.gap
                        Text {
                            height: Theme.target
                            verticalAlignment: Text.AlignVCenter
                            text: qsTr("手机号码")
                            font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.inkSoft
                        }
                        NumberField {
                            id: phoneField
                            objectName: "applyPhone"
                            maximumLength: 12  // a mobile's 11 digits, a landline's 12 with its area code
                            width: Math.round(Theme.primary * 8); height: Theme.target
                            Component.onCompleted: text = ApplyModel.phone
                            onTextChanged: ApplyModel.setPhone(text)
                            // The pad comes up below: the pane starts at this step, so the field
                            // and the question under it stay in view.
                            onActiveFocusChanged: if (activeFocus) Qt.callLater(page.showStep, phoneStep)
                        }
                        Text {
                            objectName: "phoneOptional"
                            height: Theme.target
                            verticalAlignment: Text.AlignVCenter
                            text: qsTr("可以不填")
                            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink
                        }
                    }
                    BigButton {
                        id: smsToggle
                        objectName: "smsConsentToggle"
                        visible: ApplyModel.smsOffered
                        primaryStyle: false
                        text: ApplyModel.smsConsent ? qsTr("办理进度用短信告诉我：是") : qsTr("办理进度用短信告诉我：否")
                        iconName: ApplyModel.smsConsent ? "check" : ""
                        onClicked: ApplyModel.setSmsConsent(!ApplyModel.smsConsent)
                    }
                    Text {
                        id: smsHint
                        objectName: "smsConsentHint"
                        visible: ApplyModel.smsOffered
                        width: parent.width
                        text: qsTr("点成“是”，受理、需要补材料、办好了、可以取件时，发短信到这个号码告诉您。不点就不发。")
                        font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
                    }
                }
            }

            // Step 3: the materials, photographed instead of photocopied (免复印).
            Text {
                visible: ApplyModel.hasApplicant && ApplyModel.materials.length > 0
                width: parent.width
                text: qsTr("要交的材料：放在拍照台上，点“拍照”。有几页的，每页拍一张。")
                font.family: Theme.font; font.pixelSize: Theme.primary; font.bold: true; color: Theme.ink; wrapMode: Text.Wrap
            }
            Repeater {
                model: ApplyModel.hasApplicant ? ApplyModel.materials : []
                MaterialCard {
                    id: material
                    required property var modelData
                    width: steps.width
                    row: modelData
                    vm: ApplyModel
                }
            }
        }
    }
    // What is still missing, what 确认提交 does, and any error: always in view, next to the
    // actions, never below the fold.
    Column {
        id: hints
        objectName: "applyHints"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        spacing: Theme.gap / 2
        onImplicitHeightChanged: Qt.callLater(page.refit)
        Text {
            objectName: "missingMaterials"
            // While a number is typed on the pad, the room is the field's and its question's.
            visible: ApplyModel.hasApplicant && ApplyModel.missingText !== "" && !Theme.keyboardUp
            width: parent.width
            text: qsTr("还差%1页没拍：").arg(ApplyModel.missingPages) + ApplyModel.missingText + qsTr("。没带也可以先提交，代办员会一次告诉您要补什么。")
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.warn; wrapMode: Text.Wrap
        }
        Text {
            objectName: "checkHint"
            visible: ApplyModel.hasApplicant && !Theme.keyboardUp
            width: parent.width
            text: qsTr("请核对以上信息。点击“确认提交”后，您的申请就交上了，本机会打印收件回执。")
            font.family: Theme.font; font.pixelSize: Theme.body; color: Theme.ink; wrapMode: Text.Wrap
        }
        Rectangle {
            objectName: "applyError"
            visible: ApplyModel.error !== ""
            width: parent.width
            height: errText.implicitHeight + 40
            radius: 16; color: "#FDECEA"; border.color: Theme.bad; border.width: 3
            Text {
                id: errText
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
                text: "⚠ " + ApplyModel.error
                font.family: Theme.font; font.pixelSize: Theme.primary; color: Theme.bad; wrapMode: Text.Wrap
            }
        }
    }
}
