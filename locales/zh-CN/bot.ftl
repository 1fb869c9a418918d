### 机器人在聊天中的答复（src/bot）。参数均已转义；标签是本文件自带的。

## 命令：菜单说明，以及 /help 和参数错误时显示的用法

bot-cmd-start = 开始；打开邀请链接或群众来访链接
bot-cmd-help = 您可以使用的命令
bot-cmd-lang = 选择语言（zh 或 en）
bot-cmd-cancel = 退出当前对话
bot-cmd-suggest = 提交建议
bot-cmd-my = 我的建议
bot-cmd-show = 建议详情与办理过程
bot-cmd-edit = 修改被退回的建议并重新提交
bot-cmd-withdraw = 撤回尚未受理的建议
bot-cmd-rate = 对承办单位的答复作出评价
bot-cmd-inbox = 群众向您反映的诉求
bot-cmd-adopt = 将群众诉求采纳为建议
bot-cmd-review = 初审：通过或退回
bot-cmd-queue = 待我处理
bot-cmd-assign = 交办承办单位
bot-cmd-extend = 延长当前办理期限
bot-cmd-merge = 并入另一件建议
bot-cmd-transfer = 报送上级
bot-cmd-decline = 不予立案，或婉拒群众诉求
bot-cmd-key = 列为重点建议
bot-cmd-vote = 录入常委会对重点建议的表决结果
bot-cmd-record = 代表年度履职档案
bot-cmd-received = 登记接待日到岗
bot-cmd-voters = 登记代表向选民述职
bot-cmd-progress = 发布办理进展
bot-cmd-reply = 发布答复
bot-cmd-explain = 第二次不满意后作出说明
bot-cmd-overdue = 黄牌、红牌事项
bot-cmd-stats = 月度统计
bot-cmd-bind = 将本群绑定到代表小组、机构或承办单位
bot-cmd-invite = 为名册人员生成一次性邀请链接

bot-usage-start = /start
bot-usage-help = /help
bot-usage-lang = /lang zh|en
bot-usage-cancel = /cancel
bot-usage-suggest = /suggest [标题，下一行起为正文]
bot-usage-my = /my
bot-usage-show = /show <编号>
bot-usage-edit = /edit <编号> <标题，下一行起为正文>
bot-usage-withdraw = /withdraw <编号>
bot-usage-rate = /rate <编号> 满意|基本满意|不满意
bot-usage-inbox = /inbox
bot-usage-adopt = /adopt <R-编号> [分类]
bot-usage-review = /review <编号> accept [town|district|higher] | return <理由>
bot-usage-queue = /queue
bot-usage-assign = /assign <编号> <承办单位编码> [协办单位编码…] [--days 天数] [--level town|district]
bot-usage-extend = /extend <编号> <天数> <理由>
bot-usage-merge = /merge <编号> <并入的编号>
bot-usage-transfer = /transfer <编号> <理由>
bot-usage-decline = /decline <编号> <理由> | /decline <R-编号> <理由>
bot-usage-key = /key <编号>
bot-usage-vote = /vote <编号> pass|fail（通过|不通过） [会议日期 YYYY-MM-DD] [备注]
bot-usage-record = /record [代表编码] [年份]
bot-usage-received = /received [接待群众人数] [备注] | /received <代表编码> <YYYY-MM-DD> [人数] [备注]
bot-usage-voters = /voters <代表编码> <YYYY-MM-DD> <到会选民人数> <地点> [| 测评结果]
bot-usage-progress = /progress <编号> <内容>
bot-usage-reply = /reply <编号> <内容>
bot-usage-explain = /explain <编号> <内容>
bot-usage-overdue = /overdue
bot-usage-stats = /stats [YYYY-MM]
bot-usage-bind = /bind <代表小组、机构或承办单位编码>
bot-usage-invite = /invite <人员编码>

## 错误输入

bot-unknown-command = 没有 /{ $name } 这个命令。发送 /help 查看您可以使用的命令。
bot-bad-number = “{ $text }”不是有效编号。建议编号形如 2026-0042，群众诉求编号形如 R-2026-0007。
bot-usage = 请按此格式填写：{ $usage }
bot-edit-not-read = 修改过的消息不会被读取：请把命令作为新消息重新发送。
bot-stale-button = 此按钮已失效。
bot-hint-person = 发送 /help 查看可用命令，或发送 /suggest 提交建议。
bot-hint-resident = 如需向人大代表反映问题，请打开您的代表或联络站的链接或二维码。发送 /help 了解更多。
bot-private-only = 请在与机器人的私聊中打开此链接。
bot-not-a-group-chat = 本群尚未绑定代表小组。请在与机器人的私聊中提交，或请联络室工作人员用 /bind 绑定本群。

## 问候、语言、邀请、绑定

bot-welcome-person = { $name }，您好！发送 /help 查看您可以使用的命令。
bot-welcome-resident = 您好！这里是“民意”代表建议平台。如需反映问题，请打开您的代表或联络站的链接或二维码。
bot-invite-redeemed = 欢迎您，{ $name }：此 Telegram 账号已与您绑定。
bot-lang-choose = 请选择语言：
bot-lang-set = 语言已切换为中文。
bot-cancelled = 已取消，未提交任何内容。
bot-nothing-to-cancel = 当前没有可取消的对话。
bot-added-to-group = 大家好！管理员或联络室工作人员可发送 /bind 加编码，将本群绑定到代表小组、机构或承办单位，本群即可收到相应通知。
bot-bind-in-group = /bind 需在群聊中使用：请将机器人拉入群内后在群里发送。
bot-bound = 本群已绑定到 { $code }，将收到相应通知。
bot-invite-link =
    { $name }（{ $code }）的邀请链接，{ $days } 天内有效，仅可使用一次：
    { $link }
bot-invite-sent-privately = 邀请链接已私信发给您。

## 提交建议

bot-ask-title = 请输入建议标题（一行；发送 /cancel 可退出）：
bot-ask-body = 请输入正文：反映什么问题，有什么建议？
bot-ask-category = 请选择分类：
bot-ask-confirm = 点击“提交”正式提交，或点击“取消”放弃。提交前还可以发送一张照片或一个位置作为附件。
bot-confirm =
    <b>{ $title }</b>
    { $body }
    分类：{ $category }
bot-has-photo = 📷 已附照片。
bot-has-location = 📍 位置：{ $lat }, { $lon }
bot-filed = 已提交，编号 <b>{ $no }</b>“{ $title }”。下一步由代表小组组长初审，每一步都会通知您。
bot-done = 已办理：建议 <b>{ $no }</b> 当前状态为“{ $state }”。
bot-duplicate = 此操作已办理过，本次未作修改。
bot-ask-reason = 请以文字发送理由（或发送 /cancel）。
bot-ask-return-reason = 退回建议 <b>{ $no }</b> 的理由是什么？请发送理由（或发送 /cancel）。

## 交办

bot-pick-unit = 将建议 <b>{ $no }</b> 交办给哪个承办单位？（如需协办单位、天数或层级，请用 /assign。）
bot-no-units = 没有您可以交办的承办单位。

## 列表

bot-my-empty = 您还没有提交建议。发送 /suggest 提交一件。
bot-my-head = <b>我的建议</b>（共 { $total } 件），第 { $page }/{ $pages } 页：
bot-queue-empty = 暂无待您处理的事项。
bot-queue-head = <b>待我处理</b>（{ $total } 件）：
bot-overdue-empty = 没有黄牌或红牌事项。
bot-overdue-head = <b>黄牌、红牌事项</b>（{ $total } 件）：
bot-list-item = { $mark } <b>{ $no }</b>{ $key } { $title } — { $state } { $deadline }

## /show

bot-show =
    <b>{ $no }</b>“{ $title }”
    状态：{ $state }
    代表：{ $deputy }，小组 { $group }
    分类：{ $category }；层级：{ $level }
    承办单位：{ $units }
    期限：{ $deadline }
    提交时间：{ $filed }

    { $body }
bot-unit-lead = 主办
bot-unit-co = 协办
bot-flag-key = ★ 重点建议
bot-flag-awaiting-vote = ⚖ 待常委会表决
bot-flag-supervised = ⚠ 重点督办中
bot-flag-resident = 来自群众诉求（{ $request }）
bot-flag-rating = 评价：{ $rating }
bot-timeline = <b>办理过程</b>
bot-event = { $at } { $kind }（{ $actor }）
bot-actor-system = 系统

## 群众

bot-concern-to-deputy = 您正在向 { $name } 代表反映问题。请用一条消息描述您的诉求，可同时附一张照片或一个位置。
bot-concern-to-group = 您正在向 { $name } 的代表们反映问题。请用一条消息描述您的诉求，可同时附一张照片或一个位置。
bot-concern-need-text = 已收到附件。请再用文字描述您的诉求。
bot-concern-received = 谢谢！您的诉求编号为 <b>{ $request }</b>，代表采纳后会通知您。
bot-inbox-empty = 暂无待处理的群众诉求。
bot-inbox-head = <b>群众诉求</b>：显示 { $shown } 件，共 { $total } 件，按时间先后排列。
bot-inbox-item =
    <b>{ $request }</b>（{ $date }）
    { $text }
bot-adopted = 诉求 <b>{ $request }</b> 已采纳为建议 <b>{ $no }</b>，已告知群众。
bot-request-declined = 诉求 <b>{ $request }</b> 已婉拒，理由已告知群众。
bot-ask-decline-reason = 婉拒诉求 <b>{ $request }</b> 的理由是什么？群众将看到此理由（或发送 /cancel）。
bot-solved-yes = 感谢您的答复：问题已解决。
bot-solved-no = 谢谢！“未解决”的答复已转告代表。

## 按钮

bot-btn-accept = ✅ 通过
bot-btn-return = ↩ 退回
bot-btn-assign = 📤 交办
bot-btn-adopt = ✅ 采纳
bot-btn-decline = ✖ 婉拒
bot-btn-yes = 已解决
bot-btn-no = 未解决
bot-btn-file = ✅ 提交
bot-btn-cancel = ✖ 取消

## 办理过程事件

event-filed = 提交
event-accepted = 初审通过
event-returned = 退回修改
event-resubmitted = 重新提交
event-withdrawn = 撤回
event-assigned = 交办
event-extended = 延期
event-merged = 合并
event-transferred = 报送上级
event-declined = 不予立案
event-marked-key = 列为重点建议
event-progress = 办理进展
event-replied = 答复
event-rated = 评价
event-key-supervision = 重点督办
event-explanation-required = 要求说明
event-explained = 作出说明
event-auto-closed = 逾期未评价办结
event-vote-passed = 常委会表决通过
event-vote-failed = 常委会表决未通过

## /help

bot-help-person = <b>{ $name }</b>（{ $roles }）。您可以使用的命令：
bot-help-resident = 您可以通过代表的链接或二维码向代表反映问题。可用命令：

## 场合与限制

bot-private-only-command = 群众诉求只在与机器人的私聊中显示，请在私聊中发送此命令。
bot-some-units-by-command = 编码过长、无法显示为按钮的承办单位，请用 /assign 加单位编码交办。

# WeCom
wecom-not-on-roster = 您的企业微信账号（{ $userid }）不在民意系统的名册中。请联系人大办公室登记您的企业微信账号。
wecom-card-done = 已处理
wecom-photo-elsewhere = （此建议附有照片，此处无法显示。）
bot-cmd-channel = 选择通知渠道（telegram、wecom 或 all）
bot-usage-channel = /channel telegram|wecom|all
bot-channel-now = 您可接收通知的渠道：{ $have }。当前通知发往：{ $channel }。
bot-channel-set = 已设置：今后通知发往{ $channel }。
bot-channel-missing = 名册中没有您的{ $channel }账号，通知无法发往该渠道。未作任何更改。
bot-channel-telegram = Telegram
bot-channel-wecom = 企业微信
bot-channel-all = 您的全部渠道

# What a step did, said to the person who took it.
bot-done-accepted = 已通过初审：建议 <b>{ $no }</b> 已转工作人员交办。
bot-done-resubmitted = 已重新提交：建议 <b>{ $no }</b> 已送组长初审。
bot-done-withdrawn = 已撤回：建议 <b>{ $no }</b> 不再办理。
bot-done-merged = 已合并：建议 <b>{ $no }</b> 并入另一件建议办理。
bot-done-transferred = 已报送上级：建议 <b>{ $no }</b> 转上级人大办理，将告知代表。
bot-done-declined = 已不予受理：建议 <b>{ $no }</b> 的理由将告知代表。
bot-done-marked-key = 已列为重点建议：建议 <b>{ $no }</b>。
bot-done-vote-passed = 已录入：建议 <b>{ $no }</b> 经常委会表决通过，已办结，并已告知各方。
bot-done-vote-failed = 已录入：建议 <b>{ $no }</b> 常委会表决未通过，继续重点督办至 { $deadline }，已告知承办单位、工作人员和代表。

## 年度履职：接待日、述职、履职档案

bot-received = 已登记：{ $name } { $date } 接待日到岗。{ $residents }
bot-received-residents = 接待群众 { $n } 人次。
bot-voters-recorded = 已登记：{ $name } 于 { $date } 在 { $place } 向 { $voters } 名选民述职。
bot-record =
    <b>{ $name }（{ $code }）{ $year } 年履职档案</b>
    所在小组：{ $groups }
    提出建议：{ $filed } 件（{ $categories }）
    退回修改 { $returned } · 受理 { $accepted } · 交办 { $assigned }
    答复 { $replied }（按期 { $on_time }）· 办结 { $closed }
    评价：满意 { $satisfied }，基本满意 { $basic }，不满意 { $unsatisfied }
    重点建议：{ $key }
    群众诉求：收到 { $received }，采纳 { $adopted }，不予采纳 { $declined }
    接待日到岗：{ $receptions } 次（接待群众 { $residents } 人次）
    向选民述职：{ $reports } 次
bot-record-reception = · 接待日 { $date }：{ $residents } { $note }
bot-record-report = · 述职 { $date }，{ $place }，选民 { $voters } 人 { $evaluation }
bot-done-returned = 已退回：建议 <b>{ $no }</b> 已连同理由退回代表修改。
bot-done-assigned = 已交办：建议 <b>{ $no }</b> 已交承办单位办理，办理期限 { $deadline }。
bot-done-extended = 已延期：建议 <b>{ $no }</b> 的办理期限延至 { $deadline }。
bot-done-progress = 建议 <b>{ $no }</b> 的办理进展已记录，已告知代表。
bot-done-replied = 建议 <b>{ $no }</b> 的答复已送交代表，代表将于 { $deadline } 前评价。
bot-done-explained = 建议 <b>{ $no }</b> 的说明已记录，已告知代表。
bot-done-rated = 您对建议 <b>{ $no }</b> 办理结果的评价“{ $rating }”已记录，建议已办结。
bot-done-rated-awaiting-vote = 您对重点建议 <b>{ $no }</b> 的答复评价为「{ $rating }」。重点建议须经常委会表决通过方可结案，现待表决。
bot-done-explained-awaiting-vote = 您对重点建议 <b>{ $no }</b> 的说明已记录并告知代表，该建议现待常委会表决。
bot-done-key-supervision = 您对建议 <b>{ $no }</b> 的办理结果评价为“不满意”：已列入重点督办，承办单位须重新办理，并于 { $deadline } 前再次答复。
bot-done-explanation-required = 您再次对建议 <b>{ $no }</b> 的办理结果评价为“不满意”：承办单位须于 { $deadline } 前作出说明，说明将予公开。
bot-btn-progress = 📝 进展
bot-btn-reply = ✉️ 答复
bot-ask-progress = 请以文字发送建议 { $no } 的办理进展（或发送 /cancel）。
bot-ask-reply = 请以文字发送建议 { $no } 的答复（或发送 /cancel）。
bot-ask-text = 请以文字发送（或发送 /cancel）。
bot-photo-elsewhere = （附有从企业微信发送的照片，此处无法显示。）
bot-dialogue-still-open = （此操作已办理，但本次对话未能结束：请先发送 /cancel 再发其他消息。）
bot-usage-web = /web
bot-cmd-web = 获取在浏览器中登录看板的一次性链接
bot-web-off = 本系统尚未开通网页看板（[web] public_url），请联系信息化部门。
bot-web-link = 您的看板登录链接：{ $link }
    仅可使用一次，{ $minutes } 分钟内有效，仅供本人使用，请勿转发。
bot-board-button = 看板
bot-forwarded-command = 转发的消息不会被当作命令执行。如需办理，请自己发送该命令。
