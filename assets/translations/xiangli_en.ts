<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>AgentCasePage</name>
    <message>
        <source>办件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>现在在哪里：</source>
        <translation>Where it is now: </translation>
    </message>
    <message>
        <source>全程代办：</source>
        <translation>Handled by: </translation>
    </message>
    <message>
        <source>申请人：</source>
        <translation>Applicant: </translation>
    </message>
    <message>
        <source>身份证号：</source>
        <translation>ID number: </translation>
    </message>
    <message>
        <source>住址：</source>
        <translation>Address: </translation>
    </message>
    <message>
        <source>电话：</source>
        <translation>Phone: </translation>
    </message>
    <message>
        <source>申请材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <source>办理记录</source>
        <translation>History</translation>
    </message>
    <message>
        <source>由谁全程代办：</source>
        <translation>Who will handle it: </translation>
    </message>
    <message>
        <source>确认</source>
        <translation>Confirm: </translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>代为补交材料</source>
        <translation>Hand in materials for the applicant</translation>
    </message>
    <message>
        <source>收起补打</source>
        <translation>Hide reprints</translation>
    </message>
    <message>
        <source>补打凭条</source>
        <translation>Reprint a slip</translation>
    </message>
    <message>
        <source>重新补打</source>
        <translation>Reprint again</translation>
    </message>
    <message>
        <source>选择要补打的凭条（会注明“补打”和补打时间）：</source>
        <translation>Choose the slip to reprint (marked "reprint" with the time):</translation>
    </message>
    <message>
        <source>退回理由：</source>
        <translation>Reason for return: </translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(choose one)</translation>
    </message>
    <message>
        <source>办结的协办部门：</source>
        <translation>Participating department that finished: </translation>
    </message>
    <message>
        <source>取件人：</source>
        <translation>Collected by: </translation>
    </message>
    <message>
        <source>（请选择或输入）</source>
        <translation>(choose or type)</translation>
    </message>
    <message>
        <source>申请人本人</source>
        <translation>The applicant</translation>
    </message>
    <message>
        <source>代领人姓名</source>
        <translation>Collector's name</translation>
    </message>
    <message>
        <source>一次性告知：请点选缺少的材料</source>
        <translation>One-time notice: tap every missing material</translation>
    </message>
</context>
<context>
    <name>AgentDayPage</name>
    <message>
        <source>近7天办件统计</source>
        <translation>Cases in the last 7 days</translation>
    </message>
    <message>
        <source>打印今日日报</source>
        <translation>Print today's report</translation>
    </message>
    <message>
        <source>件</source>
        <translation> cases</translation>
    </message>
    <message>
        <source>收件</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>按时办结率</source>
        <translation>On-time rate</translation>
    </message>
    <message>
        <source>现场办结率</source>
        <translation>On-the-spot rate</translation>
    </message>
    <message>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>每天收件（件）</source>
        <translation>Cases received per day</translation>
    </message>
    <message>
        <source>办得最多的事项</source>
        <translation>Most requested items</translation>
    </message>
</context>
<context>
    <name>AgentHomePage</name>
    <message>
        <source>代办员工作台</source>
        <translation>Agent's desk</translation>
    </message>
    <message>
        <source>办件统计</source>
        <translation>Case numbers</translation>
    </message>
    <message>
        <source>待受理</source>
        <translation>To accept</translation>
    </message>
    <message>
        <source>待补正</source>
        <translation>Awaiting supplements</translation>
    </message>
    <message>
        <source>已上报</source>
        <translation>Forwarded</translation>
    </message>
    <message>
        <source>临期/超期</source>
        <translation>Due soon / overdue</translation>
    </message>
    <message>
        <source>待取件</source>
        <translation>To collect</translation>
    </message>
    <message>
        <source>同步失败/冲突</source>
        <translation>Sync rejected / conflict</translation>
    </message>
    <message>
        <source>代办申请</source>
        <translation>Apply for a villager</translation>
    </message>
    <message>
        <source>这一栏没有办件</source>
        <translation>No cases here</translation>
    </message>
</context>
<context>
    <name>AgentModel</name>
    <message>
        <source>正在办理…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>已办理：{what}</source>
        <translation>Done: {what}</translation>
    </message>
    <message>
        <source>办理失败，请重试</source>
        <translation>Failed, please try again</translation>
    </message>
    <message>
        <source>，{title}已打印</source>
        <translation>, {title} printed</translation>
    </message>
    <message>
        <source>，但{title}打印失败：</source>
        <translation>, but printing {title} failed: </translation>
    </message>
    <message>
        <source>请检查打印机后重打</source>
        <translation>check the printer and print again</translation>
    </message>
    <message>
        <source>正在补打{title}…</source>
        <translation>Reprinting {title}…</translation>
    </message>
    <message>
        <source>{title}已补打</source>
        <translation>{title} reprinted</translation>
    </message>
    <message>
        <source>补打{title}失败：</source>
        <translation>Reprinting {title} failed: </translation>
    </message>
    <message>
        <source>请检查打印机后重试</source>
        <translation>check the printer and try again</translation>
    </message>
    <message>
        <source>补打</source>
        <translation>Reprint</translation>
    </message>
</context>
<context>
    <name>AgentProxyPage</name>
    <message>
        <source>代办申请</source>
        <translation>Apply for a villager</translation>
    </message>
    <message>
        <source>下一位</source>
        <translation>Next person</translation>
    </message>
    <message>
        <source>读取群众身份证</source>
        <translation>Read the villager's ID card</translation>
    </message>
    <message>
        <source>群众手机号（选填）</source>
        <translation>Villager's phone (optional)</translation>
    </message>
    <message>
        <source>办结后方便通知</source>
        <translation>To call them when it is done</translation>
    </message>
    <message>
        <source>群众同意短信提醒：是</source>
        <translation>The villager agrees to text updates: yes</translation>
    </message>
    <message>
        <source>群众同意短信提醒：否</source>
        <translation>The villager agrees to text updates: no</translation>
    </message>
    <message>
        <source>读取代办员本人身份证</source>
        <translation>Read the agent's own ID card</translation>
    </message>
    <message>
        <source>拍摄签字的委托书</source>
        <translation>Photograph the signed authorisation</translation>
    </message>
    <message>
        <source>选择事项：</source>
        <translation>Item: </translation>
    </message>
    <message>
        <source>（请在右边选择）</source>
        <translation>(choose on the right)</translation>
    </message>
    <message>
        <source>代为提交并打印回执</source>
        <translation>Submit and print the receipt</translation>
    </message>
    <message>
        <source>办件编号：</source>
        <translation>Case number: </translation>
    </message>
    <message>
        <source>模拟换卡</source>
        <translation>Swap simulated card</translation>
    </message>
</context>
<context>
    <name>ApplyModel</name>
    <message>
        <source>这是申请人本人的身份证，请读取代办人（您自己）的身份证</source>
        <translation>That is the applicant's own card; read your own (the proxy's) card</translation>
    </message>
    <message>
        <source>读卡失败，请把身份证平放在读卡区后重试</source>
        <translation>Card read failed. Lay the ID card flat on the reader and try again</translation>
    </message>
    <message>
        <source>请填写姓名</source>
        <translation>Please enter the name</translation>
    </message>
    <message>
        <source>替家人办理：请再读取您本人（代办人）的身份证</source>
        <translation>Applying for a relative: now read your own (the proxy's) ID card</translation>
    </message>
    <message>
        <source>保存失败，请联系代办员。您的信息没有提交。</source>
        <translation>Saving failed. Please ask the agent. Nothing was submitted.</translation>
    </message>
    <message>
        <source>正在打印回执…</source>
        <translation>Printing the receipt…</translation>
    </message>
    <message>
        <source>回执已打印，请取走回执</source>
        <translation>Receipt printed. Please take it</translation>
    </message>
    <message>
        <source>回执打印失败</source>
        <translation>The receipt did not print</translation>
    </message>
    <message>
        <source>您的申请{state}，不用重新办。</source>
        <translation>Your application {state}; there is no need to apply again.</translation>
    </message>
    <message>
        <source>当场办结</source>
        <translation>Done on the spot</translation>
    </message>
    <message>
        <source>由代办员告知</source>
        <translation>The agent will tell you</translation>
    </message>
</context>
<context>
    <name>ApplyPage</name>
    <message>
        <source>办理：</source>
        <translation>Apply: </translation>
    </message>
    <message>
        <source>请把身份证放在读卡区，然后点击读取身份证</source>
        <translation>Put the ID card on the reader, then tap Read ID card</translation>
    </message>
    <message>
        <source>正在读卡…</source>
        <translation>Reading the card…</translation>
    </message>
    <message>
        <source>读取身份证</source>
        <translation>Read ID card</translation>
    </message>
    <message>
        <source>确认提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>第一步：请把您的身份证放在读卡区，然后点击右下角“读取身份证”。
不用手写，信息会自动填好。</source>
        <translation>Step 1: put your ID card on the reader, then tap "Read ID card" at the bottom right.
No writing needed: the form fills itself.</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>身份证已读好。请核对信息，再把要交的材料放好，点拍照。</source>
        <translation>Your ID card has been read. Check the details, then place each document and tap Take photo.</translation>
    </message>
    <message>
        <source>请核对信息，然后点确认提交。</source>
        <translation>Check the details, then tap Submit.</translation>
    </message>
    <message>
        <source>读取代办人身份证</source>
        <translation>Read proxy's ID card</translation>
    </message>
    <message>
        <source>请稍候…</source>
        <translation>Please wait…</translation>
    </message>
    <message>
        <source>替家人办理：先读取申请人（您的家人）的身份证，再读取您本人的身份证。</source>
        <translation>Applying for a relative: read the applicant's (your relative's) ID card first, then your own.</translation>
    </message>
    <message>
        <source>替家人办理：是</source>
        <translation>For a relative: yes</translation>
    </message>
    <message>
        <source>替家人办理：否</source>
        <translation>For a relative: no</translation>
    </message>
    <message>
        <source>没带身份证？手动输入</source>
        <translation>No ID card with you? Type it</translation>
    </message>
    <message>
        <source>申请人姓名</source>
        <translation>Applicant's name</translation>
    </message>
    <message>
        <source>改用读卡</source>
        <translation>Use the card reader</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>代办人</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>请读取您本人的身份证</source>
        <translation>Read your own ID card</translation>
    </message>
    <message>
        <source>手机号码</source>
        <translation>Mobile number</translation>
    </message>
    <message>
        <source>可以不填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>办理进度用短信告诉我：是</source>
        <translation>Text me how my application is going: yes</translation>
    </message>
    <message>
        <source>办理进度用短信告诉我：否</source>
        <translation>Text me how my application is going: no</translation>
    </message>
    <message>
        <source>点成“是”，受理、需要补材料、办好了、可以取件时，发短信到这个号码告诉您。不点就不发。</source>
        <translation>Set it to “yes” and we text this number when your application is accepted, when more documents are needed, when it is done and when it is ready to collect. Otherwise no texts are sent.</translation>
    </message>
    <message>
        <source>要交的材料：放在拍照台上，点“拍照”。有几页的，每页拍一张。</source>
        <translation>Materials to hand in: put them on the camera stand and tap “Take photo”. One photo per page.</translation>
    </message>
    <message>
        <source>还差%1页没拍：</source>
        <translation>%1 page(s) still to photograph: </translation>
    </message>
    <message>
        <source>请核对以上信息。点击“确认提交”后，您的申请就交上了，本机会打印收件回执。</source>
        <translation>Please check the details above. Once you tap “确认提交” (Submit) your application is handed in and the kiosk prints your receipt.</translation>
    </message>
    <message>
        <source>。没带也可以先提交，代办员会一次告诉您要补什么。</source>
        <translation>. You can still submit; the agent will tell you once what is missing.</translation>
    </message>
</context>
<context>
    <name>AppointmentDonePage</name>
    <message>
        <source>✔ 预约申请已提交</source>
        <translation>✔ Appointment requested</translation>
    </message>
    <message>
        <source>预约申请已提交，请取走预约单。县里确认后代办员会打电话通知您</source>
        <translation>Your appointment request is in. Please take your appointment slip. The agent will phone you once the county confirms it</translation>
    </message>
    <message>
        <source>预约号</source>
        <translation>Appointment number</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Where</translation>
    </message>
    <message>
        <source>办事</source>
        <translation>For</translation>
    </message>
    <message>
        <source>县里确认后，代办员会打电话通知您。确认前这只是一个申请，请不要提前出发。</source>
        <translation>The agent will phone you once the county confirms. Until then this is only a request: please do not set off yet.</translation>
    </message>
    <message>
        <source>想知道确认了没有：在本机点“进度查询”，扫预约单上的二维码，或输入预约号。</source>
        <translation>To see whether it is confirmed: tap "Check progress" on this kiosk and scan the QR code on your appointment slip, or type the appointment number.</translation>
    </message>
</context>
<context>
    <name>AppointmentsModel</name>
    <message>
        <source>读卡失败，请把身份证平放在读卡区后重试</source>
        <translation>Card read failed. Lay the ID card flat on the reader and try again</translation>
    </message>
    <message>
        <source>正在打印预约单…</source>
        <translation>Printing your appointment slip…</translation>
    </message>
    <message>
        <source>预约没有提交成功，请联系代办员</source>
        <translation>The appointment was not submitted; please ask the agent</translation>
    </message>
    <message>
        <source>预约单已打印，请取走，去办事时带上</source>
        <translation>Your appointment slip is printed. Please take it and bring it along</translation>
    </message>
    <message>
        <source>预约单打印失败</source>
        <translation>The appointment slip could not be printed</translation>
    </message>
    <message>
        <source>。预约已提交，请记下上面的预约号。</source>
        <translation>. Your request is in; please write down the appointment number above.</translation>
    </message>
</context>
<context>
    <name>AppointmentsPage</name>
    <message>
        <source>填写预约人</source>
        <translation>Who is coming</translation>
    </message>
    <message>
        <source>预约到镇、县里办事</source>
        <translation>Book a visit to the town or county centre</translation>
    </message>
    <message>
        <source>请选择您要预约的时间</source>
        <translation>Choose a time</translation>
    </message>
    <message>
        <source>读取身份证</source>
        <translation>Read ID card</translation>
    </message>
    <message>
        <source>提交预约</source>
        <translation>Request</translation>
    </message>
    <message>
        <source>现在没有可以预约的时段。县里发布新的时段后会显示在这里，也可以请代办员帮您联系。</source>
        <translation>No times are open now. New times appear here once the county publishes them; the agent can also help.</translation>
    </message>
    <message>
        <source>还剩%1个名额</source>
        <translation>%1 places left</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
</context>
<context>
    <name>CategoriesPage</name>
    <message>
        <source>我要办理：您要办什么事？</source>
        <translation>Apply: what do you need to do?</translation>
    </message>
    <message>
        <source>办事指南：请选择类别</source>
        <translation>Service guides: choose a category</translation>
    </message>
    <message>
        <source>您要办什么事？请点它属于的类别，找到后看清要带什么，再点我要办理</source>
        <translation>What do you need to do? Tap its category, find it, see what to bring, then tap Apply</translation>
    </message>
    <message>
        <source>想看看办事要带什么？请点办事类别，或者点右下角搜索</source>
        <translation>Want to see what to bring? Tap a category, or tap Search at the bottom right</translation>
    </message>
    <message>
        <source>搜索事项</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>① 点类别，找到要办的事　② 看清要带什么　③ 点“我要办理”，刷身份证</source>
        <translation>① Tap a category and find your matter　② See what to bring　③ Tap "Apply" and place your ID card</translation>
    </message>
    <message>
        <source>点类别，看办事指南：谁可以办、要带什么、要多久。可以打印明白卡带回家。</source>
        <translation>Tap a category to read its guides: who can apply, what to bring, how long it takes. You can print a guide card to take home.</translation>
    </message>
    <message>
        <source>项</source>
        <translation> items</translation>
    </message>
</context>
<context>
    <name>DayModel</name>
    <message>
        <source>正在打印日报…</source>
        <translation>Printing the daily report…</translation>
    </message>
    <message>
        <source>日报已打印</source>
        <translation>Daily report printed</translation>
    </message>
    <message>
        <source>日报打印失败</source>
        <translation>Printing the daily report failed</translation>
    </message>
</context>
<context>
    <name>FeedbackDonePage</name>
    <message>
        <source>✔ 已收到您的</source>
        <translation>✔ Received: </translation>
    </message>
    <message>
        <source>已收到，请取走回执</source>
        <translation>Received, please take the slip</translation>
    </message>
    <message>
        <source>查询号</source>
        <translation>Tracking number</translation>
    </message>
    <message>
        <source>县里会在5个工作日内处理并答复。凭回执上的查询号，可以在本机或向代办员查询处理结果。</source>
        <translation>The county will handle it and answer within 5 working days. With the tracking number on the receipt you can ask for the answer here or from the village agent.</translation>
    </message>
</context>
<context>
    <name>FeedbackModel</name>
    <message>
        <source>正在打印回执…</source>
        <translation>Printing the slip…</translation>
    </message>
    <message>
        <source>回执已打印，请取走回执</source>
        <translation>Printed. Please take the slip</translation>
    </message>
    <message>
        <source>回执打印失败</source>
        <translation>The slip did not print</translation>
    </message>
    <message>
        <source>。您的意见已交上，请记下屏幕上的查询号。</source>
        <translation>. Your message is handed in; please note the tracking number on the screen.</translation>
    </message>
    <message>
        <source>保存失败，请联系代办员</source>
        <translation>Saving failed; please ask the agent</translation>
    </message>
</context>
<context>
    <name>FeedbackPage</name>
    <message>
        <source>投诉建议</source>
        <translation>Complaints &amp; suggestions</translation>
    </message>
    <message>
        <source>请选择投诉或者建议，然后写下您要反映的事</source>
        <translation>Choose complaint or suggestion, then write what you want to say</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>投诉</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <source>建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <source>匿名：是</source>
        <translation>Anonymous: yes</translation>
    </message>
    <message>
        <source>匿名：否</source>
        <translation>Anonymous: no</translation>
    </message>
    <message>
        <source>请写下您要反映的事（可以用拼音输入）</source>
        <translation>Write what you want to say (pinyin input works)</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>手机号，方便回复您</source>
        <translation>Mobile, so we can answer you</translation>
    </message>
</context>
<context>
    <name>GuideModel</name>
    <message>
        <source>当场办结</source>
        <translation>Done on the spot</translation>
    </message>
    <message>
        <source>{n}个工作日</source>
        <translation>{n} working days</translation>
    </message>
    <message>
        <source>，{n}份</source>
        <translation>, {n} copies</translation>
    </message>
    <message>
        <source>（如有）</source>
        <translation> (if any)</translation>
    </message>
    <message>
        <source>谁可以办</source>
        <translation>Who can apply</translation>
    </message>
    <message>
        <source>要带什么</source>
        <translation>What to bring</translation>
    </message>
    <message>
        <source>无需材料</source>
        <translation>Nothing to bring</translation>
    </message>
    <message>
        <source>要多久</source>
        <translation>How long</translation>
    </message>
    <message>
        <source>承诺{promised}（法定{legal}），{visits}</source>
        <translation>Promised {promised} (legal limit {legal}), {visits}</translation>
    </message>
    <message>
        <source>不用跑腿</source>
        <translation>no trip needed</translation>
    </message>
    <message>
        <source>最多跑一次</source>
        <translation>at most one trip</translation>
    </message>
    <message>
        <source>要花钱吗</source>
        <translation>Does it cost anything</translation>
    </message>
    <message>
        <source>怎么办</source>
        <translation>Steps</translation>
    </message>
    <message>
        <source>办好后</source>
        <translation>The result</translation>
    </message>
    <message>
        <source>在哪办、找谁</source>
        <translation>Where and whom to ask</translation>
    </message>
    <message>
        <source>咨询电话：{phone}</source>
        <translation>Enquiries: {phone}</translation>
    </message>
    <message>
        <source>监督投诉：{phone}</source>
        <translation>Complaints: {phone}</translation>
    </message>
    <message>
        <source>正在打印明白卡…</source>
        <translation>Printing the guide card…</translation>
    </message>
    <message>
        <source>明白卡已打印，请取走</source>
        <translation>Guide card printed, please take it</translation>
    </message>
    <message>
        <source>明白卡打印失败</source>
        <translation>The guide card did not print</translation>
    </message>
</context>
<context>
    <name>GuidePage</name>
    <message>
        <source>朗读</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <source>打印明白卡</source>
        <translation>Print guide card</translation>
    </message>
    <message>
        <source>我要办理</source>
        <translation>Apply</translation>
    </message>
</context>
<context>
    <name>HelpPage</name>
    <message>
        <source>找代办员</source>
        <translation>Ask the agent</translation>
    </message>
    <message>
        <source>不会操作，请找村里的代办员</source>
        <translation>Need help? Ask the village agent</translation>
    </message>
    <message>
        <source>不会操作、没有身份证、要替家人办？请找村里的代办员，全程帮您代办，不收任何费用。</source>
        <translation>Not sure how, no ID card, or applying for a relative? The village agent handles it all for you, free of charge.</translation>
    </message>
    <message>
        <source>地点：</source>
        <translation>Place: </translation>
    </message>
    <message>
        <source>服务台</source>
        <translation> service desk</translation>
    </message>
    <message>
        <source>电话：</source>
        <translation>Phone: </translation>
    </message>
    <message>
        <source>时间：</source>
        <translation>Hours: </translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>您好，请点击您要办的事</source>
        <translation>Hello, tap what you need</translation>
    </message>
    <message>
        <source>您好！请点击您要办的事</source>
        <translation>Hello! Tap what you need</translation>
    </message>
    <message>
        <source>办事指南</source>
        <translation>Service guide</translation>
    </message>
    <message>
        <source>看看要带什么</source>
        <translation>What to bring</translation>
    </message>
    <message>
        <source>我要办理</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>刷身份证就能办</source>
        <translation>Apply with your ID card</translation>
    </message>
    <message>
        <source>进度查询</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>扫回执上的二维码</source>
        <translation>Scan the receipt's QR code</translation>
    </message>
    <message>
        <source>服务评价</source>
        <translation>Rate a service</translation>
    </message>
    <message>
        <source>扫回执，说说满不满意</source>
        <translation>Scan the receipt and rate</translation>
    </message>
    <message>
        <source>三务公开</source>
        <translation>Public notices</translation>
    </message>
    <message>
        <source>党务 村务 财务</source>
        <translation>Party · village · finance</translation>
    </message>
    <message>
        <source>预约办事</source>
        <translation>Book a visit</translation>
    </message>
    <message>
        <source>约好时间去镇、县</source>
        <translation>A set time at the town/county</translation>
    </message>
    <message>
        <source>投诉建议</source>
        <translation>Complaints &amp; suggestions</translation>
    </message>
    <message>
        <source>可以不留名</source>
        <translation>Anonymous if you wish</translation>
    </message>
    <message>
        <source>找代办员</source>
        <translation>Ask the agent</translation>
    </message>
    <message>
        <source>不会操作？请找代办员</source>
        <translation>Need help? Ask the agent</translation>
    </message>
</context>
<context>
    <name>ItemsPage</name>
    <message>
        <source>请选择事项</source>
        <translation>choose an item</translation>
    </message>
    <message>
        <source>请点击您要办的事项</source>
        <translation>Tap the item you need</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>乡里办</source>
        <translation>Xiangli</translation>
    </message>
    <message>
        <source>放大字</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <source>恢复小字</source>
        <translation>Normal text</translation>
    </message>
    <message>
        <source>开语音</source>
        <translation>Voice on</translation>
    </message>
    <message>
        <source>关语音</source>
        <translation>Voice off</translation>
    </message>
    <message>
        <source>，请联系代办员</source>
        <translation>, please tell the agent</translation>
    </message>
    <message>
        <source>您还在吗？</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <source> 秒后回到首页，并清除您的信息</source>
        <translation> s until the home screen, and your details are cleared</translation>
    </message>
    <message>
        <source>继续办理</source>
        <translation>Continue</translation>
    </message>
</context>
<context>
    <name>MaterialCard</name>
    <message>
        <source>（如有）</source>
        <translation> (if any)</translation>
    </message>
    <message>
        <source>：已读取身份证，不用拍照</source>
        <translation>: ID card read, no photo needed</translation>
    </message>
    <message>
        <source>：共%1页，已拍%2页</source>
        <translation>: %2 of %1 pages photographed</translation>
    </message>
    <message>
        <source>  已拍好</source>
        <translation>  done</translation>
    </message>
    <message>
        <source>已拍好</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>还没拍</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <source>正在拍…</source>
        <translation>Photographing…</translation>
    </message>
    <message>
        <source>重拍</source>
        <translation>Retake</translation>
    </message>
    <message>
        <source>拍照</source>
        <translation>Photograph</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
</context>
<context>
    <name>MaterialPages</name>
    <message>
        <source>拍照失败，请把材料平放在拍照台上再试</source>
        <translation>The photo failed; lay the document flat on the camera stand and try again</translation>
    </message>
    <message>
        <source>拍照的摄像头现在用不了，请找代办员帮忙</source>
        <translation>The camera for documents cannot be used now; please ask the village agent for help</translation>
    </message>
</context>
<context>
    <name>NoticePage</name>
    <message>
        <source>朗读</source>
        <translation>Read aloud</translation>
    </message>
</context>
<context>
    <name>NoticesPage</name>
    <message>
        <source>三务公开</source>
        <translation>Public notices</translation>
    </message>
    <message>
        <source>三务公开。请点击您要看的公告</source>
        <translation>Public notices. Tap the one you want to read</translation>
    </message>
    <message>
        <source>暂时没有公告。党务、村务、财务、政务公开信息由县里发布后会显示在这里。</source>
        <translation>No notices yet. Party, village, finance and government notices appear here once the county publishes them.</translation>
    </message>
</context>
<context>
    <name>NumberPad</name>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>PageFrame</name>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>首页</source>
        <translation>Home</translation>
    </message>
</context>
<context>
    <name>ProgressModel</name>
    <message>
        <source>已受理，正在办理</source>
        <translation>Accepted, in progress</translation>
    </message>
    <message>
        <source>请点“补交材料”，在本机拍照交上；也可以把材料带到村便民服务站</source>
        <translation>Tap "Hand in materials" to photograph them here, or bring them to the village service station</translation>
    </message>
    <message>
        <source>材料已补齐，等部门接着办</source>
        <translation>The materials are complete; the department carries on</translation>
    </message>
    <message>
        <source>正在办理</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>已上报镇/县办理</source>
        <translation>Forwarded to the town/county</translation>
    </message>
    <message>
        <source>已办结，请带回执和身份证到村便民服务站取件</source>
        <translation>Completed: collect the result at the village station with the receipt and ID card</translation>
    </message>
    <message>
        <source>未予受理，原因见上方；如有疑问请拨打监督投诉电话</source>
        <translation>Not accepted, see the reason above; call the complaints line with questions</translation>
    </message>
    <message>
        <source>申请已撤回</source>
        <translation>Application withdrawn</translation>
    </message>
    <message>
        <source>已取件，办理完毕</source>
        <translation>Collected, all done</translation>
    </message>
    <message>
        <source>请把材料带到提交申请的村便民服务站补交</source>
        <translation>Bring the materials to the village service station where the application was filed</translation>
    </message>
    <message>
        <source>这张回执是在别的服务站办理的。请输入身份证号的后四位，再点“查询”。</source>
        <translation>This receipt is from another service station. Enter the last four characters of the ID number, then tap "Search".</translation>
    </message>
    <message>
        <source>请填写身份证号的最后四位（数字，最后一位可能是X）</source>
        <translation>Enter the last four characters of the ID number (digits; the last may be X)</translation>
    </message>
    <message>
        <source>本机没有这个办件，正在向县里查询，请稍等…</source>
        <translation>Not a case of this kiosk; asking the county, please wait…</translation>
    </message>
    <message>
        <source>现在连不上网络。没有网络时，只能查询在本机提交的办件；请稍后再试，或到村便民服务站询问。</source>
        <translation>No network now. Offline, only cases filed at this kiosk can be shown; try later or ask at the village service station.</translation>
    </message>
    <message>
        <source>县里暂时查不到这个办件，请稍后再试，或到村便民服务站询问。</source>
        <translation>The county cannot look up this case right now; try later or ask at the village service station.</translation>
    </message>
    <message>
        <source>没有找到这个查询号，请核对回执上的查询号</source>
        <translation>No such tracking number; please check the number on the receipt</translation>
    </message>
    <message>
        <source>没有找到这个预约，请核对预约单上的预约号</source>
        <translation>No such appointment. Please check the number on your appointment slip</translation>
    </message>
    <message>
        <source>时间：{when}</source>
        <translation>When: {when}</translation>
    </message>
    <message>
        <source>地点：{where}</source>
        <translation>Where: {where}</translation>
    </message>
    <message>
        <source>办事：{service}</source>
        <translation>For: {service}</translation>
    </message>
    <message>
        <source>县里已确认。请按时带上身份证和预约单前往。</source>
        <translation>The county has confirmed it. Please go on time with your ID card and the appointment slip.</translation>
    </message>
    <message>
        <source>这次没有约上：{reason}</source>
        <translation>This time it could not be booked: {reason}</translation>
    </message>
    <message>
        <source>可以重新预约别的时间，或请代办员帮忙。</source>
        <translation>You can book another time, or ask the agent for help.</translation>
    </message>
    <message>
        <source>县里还没有确认，确认后代办员会打电话通知您。确认前请不要提前出发。</source>
        <translation>The county has not confirmed it yet; the agent will phone you when it does. Please do not set off before that.</translation>
    </message>
    <message>
        <source>没有找到这个办件</source>
        <translation>Case not found</translation>
    </message>
    <message>
        <source>请带上回执和身份证，到{place}取结果。</source>
        <translation>Please bring the receipt and your ID card to {place} to collect the result.</translation>
    </message>
    <message>
        <source>预计办结：{date}</source>
        <translation>Expected completion: {date}</translation>
    </message>
    <message>
        <source>承诺办结：{date}</source>
        <translation>Promised completion: {date}</translation>
    </message>
    <message>
        <source>（主办）</source>
        <translation> (lead)</translation>
    </message>
    <message>
        <source>{date}前办结</source>
        <translation>due {date}</translation>
    </message>
    <message>
        <source>没有找到这个办件，请核对办件编号和身份证后四位</source>
        <translation>No case found; check the case number and the last four ID characters</translation>
    </message>
    <message>
        <source>县里的答复：{answer}</source>
        <translation>The county's answer: {answer}</translation>
    </message>
    <message>
        <source>县里正在处理，一般5个工作日内答复，请过几天再来查。</source>
        <translation>The county is working on it; answers usually come within 5 working days. Please check again later.</translation>
    </message>
    <message>
        <source>评价保存失败，请稍后再试</source>
        <translation>The rating was not saved; please try again later</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>办理进度</source>
        <translation>Case progress</translation>
    </message>
    <message>
        <source>进度查询</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>您的预约</source>
        <translation>Your appointment</translation>
    </message>
    <message>
        <source>请把回执上的二维码对准扫码口</source>
        <translation>Hold the receipt's QR code to the scanner</translation>
    </message>
    <message>
        <source>评价这次办事</source>
        <translation>Rate this service</translation>
    </message>
    <message>
        <source>请把回执上的二维码对准下方的扫码口，
听到“嘀”一声就好。</source>
        <translation>Hold the receipt's QR code to the scanner below
until it beeps.</translation>
    </message>
    <message>
        <source>没有回执？输入办件编号和身份证号后四位（查投诉建议的答复：输入投诉建议回执上的查询号）：</source>
        <translation>No receipt? Enter the case number and the last four characters of the ID number (for the answer to a complaint or suggestion: the tracking number on its receipt):</translation>
    </message>
    <message>
        <source>办件编号或预约号</source>
        <translation>Case or appointment number</translation>
    </message>
    <message>
        <source>身份证后四位</source>
        <translation>Last 4 of ID</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Look up</translation>
    </message>
    <message>
        <source>预约状态：</source>
        <translation>Appointment:</translation>
    </message>
    <message>
        <source>✔ 您的事已经办好了</source>
        <translation>✔ Your application is done</translation>
    </message>
    <message>
        <source>这是在别的服务站提交的办件，这里只能查看进度。</source>
        <translation>This case was filed at another service station; here its progress can only be viewed.</translation>
    </message>
    <message>
        <source>办件编号：</source>
        <translation>Case number: </translation>
    </message>
    <message>
        <source>事项：</source>
        <translation>Item: </translation>
    </message>
    <message>
        <source>申请人：</source>
        <translation>Applicant: </translation>
    </message>
    <message>
        <source>当前状态：</source>
        <translation>Status: </translation>
    </message>
    <message>
        <source>现在在哪里：</source>
        <translation>Where it is now: </translation>
    </message>
    <message>
        <source>到哪里取结果：</source>
        <translation>Where to collect the result: </translation>
    </message>
    <message>
        <source>说明：</source>
        <translation>Note: </translation>
    </message>
    <message>
        <source>下一步：</source>
        <translation>Next: </translation>
    </message>
    <message>
        <source>您的评价：</source>
        <translation>Your rating: </translation>
    </message>
    <message>
        <source>还缺这些材料：</source>
        <translation>Still missing: </translation>
    </message>
    <message>
        <source>补交材料</source>
        <translation>Hand in materials</translation>
    </message>
    <message>
        <source>各部门办理情况</source>
        <translation>Each department's part</translation>
    </message>
    <message>
        <source>办理记录</source>
        <translation>History</translation>
    </message>
</context>
<context>
    <name>ProxyModel</name>
    <message>
        <source>正在读取群众的身份证…</source>
        <translation>Reading the villager's ID card…</translation>
    </message>
    <message>
        <source>这是您本人的身份证，请放群众的身份证</source>
        <translation>This is your own card; place the villager's card</translation>
    </message>
    <message>
        <source>正在读取代办员本人的身份证…</source>
        <translation>Reading the agent's own ID card…</translation>
    </message>
    <message>
        <source>这不是已登录代办员的身份证</source>
        <translation>This is not the signed-in agent's card</translation>
    </message>
    <message>
        <source>正在拍摄委托书…</source>
        <translation>Photographing the authorisation…</translation>
    </message>
    <message>
        <source>操作失败，请重试</source>
        <translation>Failed, please try again</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已代为提交，正在打印回执…</source>
        <translation>Submitted; printing the receipt…</translation>
    </message>
    <message>
        <source>已代为提交，回执已打印</source>
        <translation>Submitted; receipt printed</translation>
    </message>
    <message>
        <source>已代为提交，但回执打印失败：</source>
        <translation>Submitted, but the receipt did not print: </translation>
    </message>
</context>
<context>
    <name>RateFindPage</name>
    <message>
        <source>服务评价：给哪件事打分？</source>
        <translation>Rate our service: which matter?</translation>
    </message>
    <message>
        <source>请把要评价的那件事的回执二维码，对准扫码口</source>
        <translation>Please hold the QR code on the receipt of the matter you want to rate to the scanner</translation>
    </message>
    <message>
        <source>换一件事</source>
        <translation>Another matter</translation>
    </message>
    <message>
        <source>给这件事打分</source>
        <translation>Rate this matter</translation>
    </message>
    <message>
        <source>办好的事，可以在这里打分。
请把那件事的回执上的二维码对准下方的扫码口，听到“嘀”一声就好。</source>
        <translation>A finished matter can be rated here.
Hold the QR code on its receipt to the scanner below until it beeps.</translation>
    </message>
    <message>
        <source>没有回执？输入办件编号和身份证号后四位：</source>
        <translation>No receipt? Type the case number and the last four characters of the ID number:</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>身份证后四位</source>
        <translation>Last 4 of ID number</translation>
    </message>
    <message>
        <source>找这件事</source>
        <translation>Find it</translation>
    </message>
    <message>
        <source>这是预约单，不能在这里打分。请扫描办事时打印的回执。</source>
        <translation>This is an appointment slip and cannot be rated here. Please scan the receipt printed when you applied.</translation>
    </message>
    <message>
        <source>找到了：</source>
        <translation>Found:</translation>
    </message>
    <message>
        <source>办件编号：</source>
        <translation>Case number:</translation>
    </message>
    <message>
        <source>现在：</source>
        <translation>Now:</translation>
    </message>
    <message>
        <source>请点右下角“给这件事打分”。</source>
        <translation>Please tap "Rate this matter" at the bottom right.</translation>
    </message>
    <message>
        <source>这件事您已经评价过了：%1。谢谢您！</source>
        <translation>You have already rated this matter: %1. Thank you!</translation>
    </message>
    <message>
        <source>这件事是在别的服务站办的，请到那里打分。</source>
        <translation>This matter was filed at another service station; please rate it there.</translation>
    </message>
    <message>
        <source>这件事还没有办好，办好以后才能打分。</source>
        <translation>This matter is not finished yet; it can be rated once it is.</translation>
    </message>
</context>
<context>
    <name>RatePage</name>
    <message>
        <source>谢谢您的评价！</source>
        <translation>Thank you for rating!</translation>
    </message>
    <message>
        <source>您选的是这个，对吗？</source>
        <translation>Is this your choice?</translation>
    </message>
    <message>
        <source>请为这次办事打分</source>
        <translation>Please rate this service</translation>
    </message>
    <message>
        <source>很抱歉让您不满意。请选择原因，我们会回访并整改：</source>
        <translation>We're sorry. Choose a reason; the county will follow up:</translation>
    </message>
    <message>
        <source>重新选择</source>
        <translation>Choose again</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>原因：</source>
        <translation>Reason: </translation>
    </message>
    <message>
        <source>重选</source>
        <translation>Choose again</translation>
    </message>
    <message>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>您的评价“</source>
        <translation>Your rating "</translation>
    </message>
    <message>
        <source>”已经记下，会报给县政务服务中心。</source>
        <translation>” is recorded and will be passed on to the county's government service centre.</translation>
    </message>
</context>
<context>
    <name>ReceiptPage</name>
    <message>
        <source>。请取走回执</source>
        <translation>. Please take your receipt.</translation>
    </message>
    <message>
        <source>重新打印</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>查看进度</source>
        <translation>View progress</translation>
    </message>
    <message>
        <source>您的办件编号</source>
        <translation>Your case number</translation>
    </message>
    <message>
        <source>事项：</source>
        <translation>Item: </translation>
    </message>
    <message>
        <source>现在在哪里：</source>
        <translation>Where it is now: </translation>
    </message>
    <message>
        <source>以后可以在本机“进度查询”扫描回执上的二维码，查看办理进度。</source>
        <translation>Later, scan the receipt's QR code under Progress to see how it is going.</translation>
    </message>
    <message>
        <source>办理进度会发短信到%1</source>
        <translation>Progress updates will be texted to %1</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message>
        <source>搜索办事事项</source>
        <translation>Search services</translation>
    </message>
    <message>
        <source>请用下方键盘输入事项名称，可以打拼音，也可以只打拼音首字母</source>
        <translation>Type the name below: pinyin or just pinyin initials work</translation>
    </message>
    <message>
        <source>例如：养老、医保、ylbx</source>
        <translation>e.g. 养老, 医保, ylbx</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>没有找到相关事项。可以换个说法，或者请代办员帮忙。</source>
        <translation>Nothing found. Try other words, or ask the agent.</translation>
    </message>
    <message>
        <source>正在准备搜索，请稍等……</source>
        <translation>Getting the search ready, one moment…</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>工作人员登录</source>
        <translation>Staff sign-in</translation>
    </message>
    <message>
        <source>代办员</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>技术员</source>
        <translation>Technician</translation>
    </message>
    <message>
        <source>重新读卡</source>
        <translation>Read again</translation>
    </message>
    <message>
        <source>读取本人身份证</source>
        <translation>Read your own ID card</translation>
    </message>
    <message>
        <source>已读卡：</source>
        <translation>Card read: </translation>
    </message>
    <message>
        <source>第一步：把您本人的身份证放在读卡区</source>
        <translation>Step 1: place your own ID card on the reader</translation>
    </message>
    <message>
        <source>第二步：输入密码</source>
        <translation>Step 2: enter your PIN</translation>
    </message>
    <message>
        <source>输入技术员密码</source>
        <translation>Enter the technician PIN</translation>
    </message>
    <message>
        <source>（未输入）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>模拟换卡</source>
        <translation>Swap simulated card</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
</context>
<context>
    <name>StaffFrame</name>
    <message>
        <source>代办员</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>技术员</source>
        <translation>Technician</translation>
    </message>
    <message>
        <source> 秒后自动退出，点屏幕任意处继续</source>
        <translation> s until automatic sign-out; touch the screen to continue</translation>
    </message>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Sign out</translation>
    </message>
</context>
<context>
    <name>StaffModel</name>
    <message>
        <source>正在读卡…</source>
        <translation>Reading the card…</translation>
    </message>
    <message>
        <source>读卡失败，请重放身份证</source>
        <translation>Card read failed; place the ID card again</translation>
    </message>
    <message>
        <source>请先读取您本人的身份证</source>
        <translation>Read your own ID card first</translation>
    </message>
    <message>
        <source>正在核对…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>核对出错，请重试</source>
        <translation>The check failed; try again</translation>
    </message>
    <message>
        <source>密码不对，还可以再试 {n} 次</source>
        <translation>Wrong PIN, {n} tries left</translation>
    </message>
    <message>
        <source>错误次数过多，已锁定到 {t}</source>
        <translation>Too many wrong PINs; locked until {t}</translation>
    </message>
    <message>
        <source>这张身份证没有登记为工作人员</source>
        <translation>This ID card is not registered as staff</translation>
    </message>
    <message>
        <source>本机还没有技术员账户，请先同步县级平台</source>
        <translation>No technician account yet; sync with the county hub first</translation>
    </message>
    <message>
        <source>本机有多位技术员：请点您的名字，或读取本人身份证</source>
        <translation>Several technicians use this kiosk: tap your name, or read your own ID card</translation>
    </message>
    <message>
        <source>{name}，请输入密码</source>
        <translation>{name}, enter your PIN</translation>
    </message>
</context>
<context>
    <name>StatusModel</name>
    <message>
        <source>一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>有网 · {n}条正在送县里</source>
        <translation>Online · {n} records on their way to the county</translation>
    </message>
    <message>
        <source>有网 · 都已送到县里</source>
        <translation>Online · everything sent to the county</translation>
    </message>
    <message>
        <source>没网 · {n}条存在本机</source>
        <translation>Offline · {n} records kept on this kiosk for now</translation>
    </message>
    <message>
        <source>没网 · 照常能办事</source>
        <translation>Offline · services work as usual</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>上次同步：{time}</source>
        <translation>Last sync: {time}</translation>
    </message>
    <message>
        <source>{y}年{m}月{d}日 星期{w}</source>
        <translation>{w} {y}-{m:02d}-{d:02d}</translation>
    </message>
</context>
<context>
    <name>SupplementModel</name>
    <message>
        <source>没有找到这个办件</source>
        <translation>Case not found</translation>
    </message>
    <message>
        <source>这个办件的个人信息已按规定清除，不能再补交材料</source>
        <translation>This case's personal data has been purged; no more materials can be handed in</translation>
    </message>
    <message>
        <source>这个办件现在不需要补交材料（{status}）</source>
        <translation>This case needs no materials now ({status})</translation>
    </message>
    <message>
        <source>这个办件没有列明要补的材料，请找代办员办理</source>
        <translation>This case lists no missing materials; please ask the agent</translation>
    </message>
    <message>
        <source>打开办件失败，请重试</source>
        <translation>Could not open the case; please try again</translation>
    </message>
    <message>
        <source>保存失败，材料没有交上。请再试一次或找代办员。</source>
        <translation>Saving failed; the materials were not handed in. Try again or ask the agent.</translation>
    </message>
    <message>
        <source>正在打印凭条…</source>
        <translation>Printing the slip…</translation>
    </message>
    <message>
        <source>凭条已打印，请取走</source>
        <translation>Slip printed; please take it</translation>
    </message>
    <message>
        <source>凭条打印失败</source>
        <translation>Printing the slip failed</translation>
    </message>
    <message>
        <source>。材料已经交上了，不影响办理。</source>
        <translation>. The materials are handed in; the case goes on.</translation>
    </message>
</context>
<context>
    <name>SupplementPage</name>
    <message>
        <source>补交材料</source>
        <translation>Hand in materials</translation>
    </message>
    <message>
        <source>请把要补交的材料放在拍照台上，每一页点一次拍照</source>
        <translation>Put the missing materials on the camera stand and tap Take photo once for each page</translation>
    </message>
    <message>
        <source>打印凭条</source>
        <translation>Print slip</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>请稍候…</source>
        <translation>Please wait…</translation>
    </message>
    <message>
        <source>确认补交</source>
        <translation>Confirm hand-in</translation>
    </message>
    <message>
        <source>正在打开办件…</source>
        <translation>Opening the case…</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>告知书上要补的材料都在下面。放在拍照台上，每一页点一次“拍照”。</source>
        <translation>The materials the notice asks for are listed below. Put them on the camera stand and tap “Take photo” once for each page.</translation>
    </message>
    <message>
        <source>✔ 都拍好了。请点右下角“确认补交”。</source>
        <translation>✔ All photographed. Tap "Confirm hand-in" at the bottom right.</translation>
    </message>
    <message>
        <source>还差%1页没拍：</source>
        <translation>%1 page(s) still to photograph: </translation>
    </message>
    <message>
        <source>。都拍好了才能交。</source>
        <translation>. Everything must be photographed first.</translation>
    </message>
    <message>
        <source>材料已补交，工作人员会继续办理。</source>
        <translation>Materials handed in; staff will carry on with the case.</translation>
    </message>
    <message>
        <source>办件编号：</source>
        <translation>Case number: </translation>
    </message>
    <message>
        <source>以后可以在本机“进度查询”查看办理进度。</source>
        <translation>Check progress later under "Progress" on this kiosk.</translation>
    </message>
</context>
<context>
    <name>TechBackupPage</name>
    <message>
        <source>备份与恢复</source>
        <translation>Backup and restore</translation>
    </message>
    <message>
        <source>查找U盘</source>
        <translation>Find USB sticks</translation>
    </message>
    <message>
        <source>U盘文件夹路径</source>
        <translation>USB folder path</translation>
    </message>
    <message>
        <source>备份到这里</source>
        <translation>Back up here</translation>
    </message>
    <message>
        <source>查看备份</source>
        <translation>List backups</translation>
    </message>
    <message>
        <source>从此恢复：</source>
        <translation>Restore from: </translation>
    </message>
    <message>
        <source>用 {file} 替换本机全部数据？本机现有的数据会被覆盖，恢复后必须重启乡里办。</source>
        <translation>Replace all data on this kiosk with {file}? The current data will be overwritten and Xiangli must be restarted afterwards.</translation>
    </message>
    <message>
        <source>确定恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>TechConfigModel</name>
    <message>
        <source>操作失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>正在查找接在本机上的设备…</source>
        <translation>Looking for the devices plugged into this machine…</translation>
    </message>
    <message>
        <source>找到 {n} 个设备，点一下即可选用，也可以直接输入</source>
        <translation>Found {n} devices: tap one to use it, or type a value</translation>
    </message>
    <message>
        <source>没有找到串口、USB设备、摄像头或输入设备，可以直接输入</source>
        <translation>No serial port, USB device, camera or input device found: you can type a value</translation>
    </message>
    <message>
        <source>县级平台地址</source>
        <translation>County hub address</translation>
    </message>
    <message>
        <source>无操作返回首页（秒）</source>
        <translation>Idle time-out (seconds)</translation>
    </message>
    <message>
        <source>正在向县级平台登记…</source>
        <translation>Enrolling with the county hub…</translation>
    </message>
    <message>
        <source>登记成功，终端编号 {code}。重启乡里办后使用新身份。</source>
        <translation>Enrolled as terminal {code}. Restart Xiangli to use the new identity.</translation>
    </message>
    <message>
        <source>找到 {n} 个U盘</source>
        <translation>Found {n} USB stick(s)</translation>
    </message>
    <message>
        <source>没有找到U盘，可以输入路径</source>
        <translation>No USB stick found; you can type a path</translation>
    </message>
    <message>
        <source>正在备份…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <source>已备份到 {path}。备份含个人信息，请妥善保管U盘。</source>
        <translation>Backed up to {path}. The backup holds personal data: keep the stick safe.</translation>
    </message>
    <message>
        <source>正在检查并恢复…</source>
        <translation>Checking and restoring…</translation>
    </message>
    <message>
        <source>已恢复。请立即重启乡里办，屏幕上的数据在重启后才是恢复后的数据。</source>
        <translation>Restored. Restart Xiangli now; the screens show the restored data only after a restart.</translation>
    </message>
</context>
<context>
    <name>TechConfigPage</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>检查并保存</source>
        <translation>Check and save</translation>
    </message>
    <message>
        <source>接好设备后点“查找设备”，本机上找到的设备会列在对应的设置下面，点一下即可选用。</source>
        <translation>Plug the devices in, then tap “Find devices”: the devices found on this machine are listed under their settings; tap one to use it.</translation>
    </message>
    <message>
        <source>查找设备</source>
        <translation>Find devices</translation>
    </message>
    <message>
        <source>点下面找到的设备，或直接输入</source>
        <translation>Tap a device found below, or type a value</translation>
    </message>
    <message>
        <source>本机上没有找到这类设备，可以直接输入</source>
        <translation>No such device found on this machine: you can type a value</translation>
    </message>
    <message>
        <source>向县级平台登记本机（一次性登记码）</source>
        <translation>Enrol this kiosk with the county hub (one-time code)</translation>
    </message>
    <message>
        <source>登记码</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Enrol</translation>
    </message>
</context>
<context>
    <name>TechDevicesPage</name>
    <message>
        <source>设备检测</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>异常</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>TechHomePage</name>
    <message>
        <source>维护菜单</source>
        <translation>Maintenance</translation>
    </message>
    <message>
        <source>设备检测</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>日志</source>
        <translation>Logs</translation>
    </message>
    <message>
        <source>备份与恢复</source>
        <translation>Backup and restore</translation>
    </message>
    <message>
        <source>退出到桌面</source>
        <translation>Leave to desktop</translation>
    </message>
    <message>
        <source>确定退出自助模式、回到桌面吗？退出后村民不能使用本机，直到重新启动乡里办。</source>
        <translation>Leave kiosk mode for the desktop? Villagers cannot use this machine until Xiangli is started again.</translation>
    </message>
    <message>
        <source>确定退出</source>
        <translation>Leave</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>版本信息</source>
        <translation>Version</translation>
    </message>
</context>
<context>
    <name>TechLogsPage</name>
    <message>
        <source>日志（个人信息已隐藏）</source>
        <translation>Logs (personal data masked)</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>（暂无日志）</source>
        <translation>(no log lines)</translation>
    </message>
</context>
<context>
    <name>TechModel</name>
    <message>
        <source>正在打印测试页…</source>
        <translation>Printing the test page…</translation>
    </message>
    <message>
        <source>✔ 测试页已打印，请检查字迹和二维码</source>
        <translation>✔ Test page printed; check the text and the QR code</translation>
    </message>
    <message>
        <source>测试页没有打印出来</source>
        <translation>The test page did not print</translation>
    </message>
    <message>
        <source>打印失败</source>
        <translation>Printing failed</translation>
    </message>
    <message>
        <source>纸张：正常</source>
        <translation>Paper: OK</translation>
    </message>
    <message>
        <source>纸张：快用完了，请准备换纸</source>
        <translation>Paper: running low, have a new roll ready</translation>
    </message>
    <message>
        <source>纸张：没有纸了，请装纸</source>
        <translation>Paper: out of paper, load a roll</translation>
    </message>
    <message>
        <source>纸张：纸仓盖开着，请合上</source>
        <translation>Paper: the cover is open, close it</translation>
    </message>
    <message>
        <source>纸张：读不到（打印机没有连接或没有开机）</source>
        <translation>Paper: cannot be read (the printer is not connected or not switched on)</translation>
    </message>
    <message>
        <source>请把身份证放在读卡区…</source>
        <translation>Place an ID card on the reader…</translation>
    </message>
    <message>
        <source>读卡失败</source>
        <translation>Reading failed</translation>
    </message>
    <message>
        <source>正在拍摄…</source>
        <translation>Capturing…</translation>
    </message>
    <message>
        <source>已找到纸张边缘</source>
        <translation>page edges found</translation>
    </message>
    <message>
        <source>没有找到纸张边缘</source>
        <translation>no page edges found</translation>
    </message>
    <message>
        <source>拍摄失败</source>
        <translation>Capture failed</translation>
    </message>
    <message>
        <source>✔ 扫到：</source>
        <translation>✔ Scanned: </translation>
    </message>
    <message>
        <source>✔ 收到按键：</source>
        <translation>✔ Button received: </translation>
    </message>
    <message>
        <source>未设置县级平台地址，本机只离线工作</source>
        <translation>No county hub address: this kiosk works offline only</translation>
    </message>
    <message>
        <source>已开始同步…</source>
        <translation>Sync started…</translation>
    </message>
    <message>
        <source>同步尚未启动</source>
        <translation>Sync has not started yet</translation>
    </message>
    <message>
        <source>待上传：{n} 条</source>
        <translation>Waiting to upload: {n}</translation>
    </message>
    <message>
        <source>被拒收或冲突：{n} 条</source>
        <translation>Rejected or in conflict: {n}</translation>
    </message>
    <message>
        <source>乡里办 版本 {v}</source>
        <translation>Xiangli version {v}</translation>
    </message>
    <message>
        <source>源码运行</source>
        <translation>running from source</translation>
    </message>
    <message>
        <source>县级平台地址：未设置，本机只离线工作</source>
        <translation>County hub: not set, this kiosk works offline only</translation>
    </message>
    <message>
        <source>数据文件夹：无（数据只在内存中）</source>
        <translation>Data folder: none (the data is in memory only)</translation>
    </message>
    <message>
        <source>数据结构版本：{n}</source>
        <translation>Data schema version: {n}</translation>
    </message>
    <message>
        <source>终端编号：{code}　终端ID：{id}</source>
        <translation>Terminal code: {code}  Terminal ID: {id}</translation>
    </message>
    <message>
        <source>县级平台地址：{url}</source>
        <translation>County hub: {url}</translation>
    </message>
    <message>
        <source>数据文件夹：{path}</source>
        <translation>Data folder: {path}</translation>
    </message>
    <message>
        <source>Python {python} · Qt {qt}</source>
        <translation>Python {python} · Qt {qt}</translation>
    </message>
    <message>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>○ 离线</source>
        <translation>○ Offline</translation>
    </message>
    <message>
        <source>（正在同步）</source>
        <translation> (syncing)</translation>
    </message>
    <message>
        <source>待上传：{n} 条，材料照片待上传：{b} 张</source>
        <translation>Waiting to upload: {n} records, {b} photos</translation>
    </message>
    <message>
        <source>被拒收：{r} 条，冲突：{c} 条</source>
        <translation>Rejected: {r}, conflicts: {c}</translation>
    </message>
    <message>
        <source>上次成功：{t}</source>
        <translation>Last success: {t}</translation>
    </message>
    <message>
        <source>最近错误：{e}</source>
        <translation>Last error: {e}</translation>
    </message>
    <message>
        <source>县级下发的异常变更（已搁置）：{n} 条</source>
        <translation>Malformed changes from the county (set aside): {n}</translation>
    </message>
</context>
<context>
    <name>TechSyncPage</name>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>本机时间正确</source>
        <translation>The time is right</translation>
    </message>
</context>
<context>
    <name>s</name>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>预约号 {number}</source>
        <translation>Appointment {number}</translation>
    </message>
</context>
</TS>