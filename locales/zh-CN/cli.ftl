### Messages of the `minyi` command line: roster import and invites.
### Printed to a terminal (i18n::plain) or sent in a chat (i18n::text): no HTML tags here.

## $kind: orgs, groups, units or people (the `minyi import` argument)

import-kind-orgs = 机构
import-kind-groups = 代表小组
import-kind-units = 承办单位
import-kind-people = 人员名册
import-done =
    { $kind ->
        [orgs] { import-kind-orgs }
        [groups] { import-kind-groups }
        [units] { import-kind-units }
        [people] { import-kind-people }
       *[other] { $kind }
    }导入完成：新增 { $inserted } 条，更新 { $updated } 条，无变化 { $unchanged } 条。
import-unchanged =
    { $kind ->
        [orgs] { import-kind-orgs }
        [groups] { import-kind-groups }
        [units] { import-kind-units }
        [people] { import-kind-people }
       *[other] { $kind }
    }：{ $count } 条记录均无变化，未作修改。
import-failed =
    { $kind ->
        [orgs] { import-kind-orgs }
        [groups] { import-kind-groups }
        [units] { import-kind-units }
        [people] { import-kind-people }
       *[other] { $kind }
    }导入失败：{ $count } 行有误，全部未导入。请修正后重新导入。
import-bad-line = 第 { $line } 行：{ $reason }

## What is wrong with a line of a roster file: the $reason of import-bad-line, one or several
## joined (src/storage/roster.rs: LineProblem::key, LineProblem::args). Column names, codes and
## role words are shown as the file has them; $error is the CSV reader's own (English) message.
import-problem-unreadable-header = 无法读取表头：{ $error }
import-problem-empty-file = 文件为空：第一行须为表头
import-problem-missing-column = 缺少「{ $column }」列（表头须包含 { $expected }）
import-problem-unreadable = 无法读取：{ $error }
import-problem-wrong-column-count = 列数不对：有 { $got } 列，应为 { $want } 列
import-problem-not-utf8 = 不是 UTF-8 编码的文本
import-problem-duplicate-code = 编码「{ $code }」重复（首次出现在第 { $first } 行）
import-problem-duplicate-telegram-id = telegram_id { $id } 与第 { $first } 行重复
import-problem-duplicate-wecom-userid = wecom_userid「{ $userid }」与第 { $first } 行重复（企业微信不区分大小写）
import-problem-empty = 「{ $column }」列为空
import-problem-bad-code = 「{ $column }」列的编码「{ $value }」不符合要求：最多 64 个字符，只能由字母、数字和“-”“_”“.”组成
import-problem-own-parent = 机构的上级机构不能是其本身
import-problem-unknown-role = 未知角色「{ $role }」（可用的角色：{ $expected }）
import-problem-bad-telegram-id = telegram_id「{ $value }」不是有效的 Telegram 用户 ID（应为正整数）
import-problem-bad-wecom-userid = wecom_userid「{ $value }」不是有效的企业微信账号（最多 64 个字母、数字或 _-@.，以字母或数字开头）
import-problem-bad-lang = lang「{ $value }」无效，应为 zh-CN 或 en-US
import-problem-unknown-parent-org = 上级机构编码「{ $code }」不存在
import-problem-own-ancestor = 机构「{ $code }」的上级层层追溯后回到了其本身
import-problem-unknown-org = 机构编码「{ $code }」不存在
import-problem-unknown-scope-code = scope 列中的编码「{ $code }」不存在
# $kind: group, unit or org
import-problem-role-needs-scope =
    角色「{ $role }」须在 scope 列中填写{ $kind ->
        [group] { import-kind-groups }
        [unit] { import-kind-units }
       *[org] { import-kind-orgs }
    }编码，但「{ $scope }」中没有
import-problem-telegram-id-taken = telegram_id { $id } 已属于人员「{ $owner }」
import-problem-wecom-userid-taken = wecom_userid「{ $userid }」已属于人员「{ $owner }」

## `minyi invite`
invite-link =
    { $name }（{ $code }）的邀请链接如下，仅可使用一次：
    { $link }

## `minyi migrate`
cli-migrated = 数据库结构已是最新。

## `minyi demo`：演示记录与小结（终端纯文本）
cli-demo-title = minyi 演示：完整闭环，离线运行于内置的 Bot API 沙箱
cli-demo-database = 数据库：{ $url }
cli-demo-step-invites = 1. 各人使用一次性邀请链接绑定账号
cli-demo-step-bind = 2. 管理员把机器人拉进群并绑定
cli-demo-step-file = 3. 代表在群里提交建议
cli-demo-step-accept = 4. 代表小组组长初审通过
cli-demo-step-assign = 5. 工作人员交办承办单位
cli-demo-step-handle = 6. 承办单位办中沟通并答复
cli-demo-step-rate = 7. 不满意：重点督办、再次答复，然后满意
cli-demo-step-resident = 8. 群众向代表反映问题
cli-demo-private = 私聊
cli-demo-group = 群 { $code }
cli-demo-adds-bot = （把机器人拉进本群）
cli-demo-presses = （点击 [{ $label }]）
cli-demo-location = （发送位置：{ $lat }, { $lon }）
cli-demo-role-deputy = 代表
cli-demo-role-leader = 组长
cli-demo-role-town-clerk = 街道联络室
cli-demo-role-district-clerk = 区人大工委
cli-demo-role-secretary = 秘书
cli-demo-role-chair = 主任
cli-demo-role-unit = 承办单位
cli-demo-role-admin = 管理员
cli-demo-role-resident = 群众
cli-demo-summary = 小结
cli-demo-suggestion = { $no } { $title }：{ $end }
cli-demo-supervised = 经重点督办
cli-demo-request = 群众诉求 { $request } → { $no }；“问题解决了吗？”：{ $answer }
cli-demo-answer-no = 否（已记录，已告知代表）
cli-demo-answer-none = 未回答
cli-demo-messages = 机器人发出的消息（共 { $total } 条）：
cli-demo-dead = 死信：{ $count }
cli-demo-elapsed = 用时：{ $seconds } 秒
cli-demo-kept = 数据库已保留：{ $path }
cli-demo-web = 看板
cli-demo-web-link = 以{ $name }身份登录（仅可使用一次，{ $minutes } 分钟内有效）：{ $link }
cli-demo-web-wall = 回音壁（无需登录）：{ $wall }
cli-demo-web-stop = 看板将一直运行，按 Ctrl-C 结束。

## minyi jobs

cli-jobs-line = { $job }：计划“{ $schedule }”，上次运行 { $last }，下次运行 { $next }
cli-jobs-never = 从未
cli-jobs-unknown = 没有任务 { $job }。现有任务：{ $jobs }。
cli-jobs-bad-time = --at { $at } 不是 RFC 3339 时间（例如 2026-03-25T09:00:00+08:00）。
cli-jobs-ran = { $job } 已按 { $at } 运行：排队 { $queued } 条消息。
cli-jobs-exists = { $job } 已按 { $at } 运行过，本次未发送任何消息。

## `minyi report` 与 `minyi export`
cli-unknown-org = 没有代码为“{ $code }”的机构（见名册的机构文件）。
cli-report-needs-output = xlsx 或 png 格式的报告需要指定输出文件：加上 -o 文件.xlsx 或 -o 文件.png。
cli-report-written = 报告已写入 { $path }。
cli-deputies-written = { $count } 名代表 { $year } 年的履职档案已写入 { $path }。
cli-export-bad-extension = 无法判断 { $path } 的格式：台账只能写成 文件.xlsx 或 文件.csv。
cli-export-bad-dates = 日期先后颠倒：--from { $from } 晚于 --to { $to }。
cli-export-written = 台账：{ $from } 至 { $to } 提交的 { $count } 件建议已写入 { $path }。

## minyi check：每项检查一行，✔ 或 ✘；✘ 行的 "-fix" 是要做的那一件事。

check-config-ok = 配置：有效。
check-config-bad = 配置：无法加载：
    { $problems }
check-config-bad-fix = 请改正配置文件（MINYI_CONFIG，否则为 ./minyi.toml）或所指的环境变量，然后再次运行 minyi check。
check-db-unreachable = 数据库：无法打开（{ $reason }）。
check-db-unreachable-fix = 请检查 MINYI_DATABASE_URL（sqlite://… 或 postgres://…）、数据库服务是否运行以及 minyi 能否登录。
check-db-ok = 数据库：可以连接，迁移已全部完成。
check-db-not-ready = 数据库：{ $reason }。
check-db-not-ready-fix = 请运行 minyi migrate（minyi run 启动时也会迁移）。
check-token-missing = Telegram：没有机器人令牌。
check-token-missing-fix = 请设置 TELOXIDE_TOKEN，或把 TELOXIDE_TOKEN_FILE 设为存放令牌的文件（即 BotFather 给出的令牌）。
check-token-refused = Telegram：Bot API 不接受该令牌（{ $reason }）。
check-token-refused-fix = 请从 BotFather 重新复制令牌（/mybots → API Token）；如使用了 TELOXIDE_API_URL，请检查其是否正确。
check-token-ok = Telegram：令牌有效，机器人是 @{ $name }。
check-username-differs = Telegram：令牌属于 @{ $name }，但 bot_username 配置为 { $configured }。
check-username-differs-fix = 请在配置中设置 bot_username = "{ $name }"：邀请链接和二维码海报打开的是这里指定的机器人。
check-cannot-join-groups = Telegram：机器人不能被加入群组。
check-cannot-join-groups-fix = 在 BotFather 中：/mybots → 您的机器人 → Bot Settings → Allow Groups? → Turn groups on。
check-privacy-on = Telegram：隐私模式已开启；在群里机器人能看到命令和对它提问的回复，这正是 minyi 所需要的。
check-privacy-off = Telegram：隐私模式已关闭；机器人能看到群里的所有消息，minyi 会忽略与它无关的消息。
check-groups-bound = 代表小组：每个代表小组都已绑定群聊。
check-groups-unbound = 代表小组：{ $count } 个代表小组没有绑定群聊，其通知发不到任何群：{ $codes }。
check-groups-unbound-fix = 把机器人加入各小组的群聊，并在群里发送 /bind { $first }（由管理员或该小组所属机构的工作人员发送）。
check-people-linked = 人员：名册上的每个人都能收到消息（已绑定 Telegram 账号或有企业微信账号）。
check-people-unlinked = 人员：名册上有 { $count } 人既未绑定 Telegram 账号也没有企业微信账号，任何消息都发不到他们：{ $codes }。
check-people-unlinked-fix = 请给每人发送邀请：minyi invite { $first } 会打印一次性链接（或由工作人员向机器人发送 /invite { $first }）；使用企业微信的，在名册的 wecom_userid 列填写其账号。
check-mirrors-ok = 镜像：{ $count } 个群机器人，范围代码都存在。
check-mirrors-unknown = 镜像：以下镜像所填的范围代码不属于任何小组、机构或单位：{ $names }。
check-mirrors-unknown-fix = 请把 [[mirrors]] 中的 scope 改为名册中的代码，或先导入名册。
check-web-ok = 看板：地址 { $url }，由 HTTP 监听 { $addr } 提供。
check-web-unserved = 看板：[web] public_url 为 { $url }，但没有 HTTP 监听提供服务。
check-web-unserved-fix = 请设置 [http] listen（或以 --http ADDR 运行），并把 { $url } 转发到它。
check-wall-ok = 回音壁：已为 { $codes } 开放。
check-wall-unknown = 回音壁：[web] public_wall 中的代码 { $codes } 不属于任何机构。
check-wall-unknown-fix = 请把 [web] public_wall 改为名册中的机构代码，或先导入名册。
check-outbox-no-dead = 发件箱：没有无法送达的消息（死信）。
check-outbox-moving = 发件箱：没有等待过久仍未发出的消息。
check-outbox-dead = 发件箱：{ $count } 条消息无法送达（死信）。
check-outbox-dead-fix = 用 minyi outbox dead 查看，排除原因（机器人被屏蔽、群已不存在、群机器人密钥错误），然后运行 minyi outbox retry。
check-outbox-stale = 发件箱：最早的一条消息已等待 { $minutes } 分钟仍未发出。
check-outbox-stale-fix = 请确认 minyi run 正在运行且能连上 Telegram（查看其日志和 GET /readyz）。
check-all-passed = 全部检查通过。
check-some-failed = { $failed } 项检查未通过。
not-ready-no-answer = 无应答（{ $reason }）
not-ready-never-migrated = 尚未迁移
not-ready-behind = 以下迁移尚未执行：{ $versions }

## minyi backup

cli-backup-written = 备份已写入 { $path }（{ $mib } MiB）。恢复方法：停止 minyi，用该文件覆盖数据库文件（并删除其 -wal 和 -shm 文件），再启动 minyi。
cli-backup-exists = { $path } 已存在：备份不会覆盖已有文件，请换一个文件名。
cli-backup-pg-dump = 数据库是 PostgreSQL：请在 minyi 运行时用它自带的工具备份：
    { $command }
    恢复时用 pg_restore 导入一个空数据库（见 deploy/README.md）。

## minyi migrate-data

cli-migrate-data-table = { $table }：{ $rows } 行，两侧校验和均为 { $checksum }
cli-migrate-data-done = 已在一个事务中复制 { $tables } 张表、共 { $rows } 行，用时 { $seconds } 秒。请把 MINYI_DATABASE_URL 指向该 PostgreSQL 数据库并在其上启动 minyi；原 SQLite 文件保持不动，作为备份。
cli-migrate-data-refused = 未复制任何数据：{ $reason }

## 配置问题（src/config/problem.rs），每条前面是“位置: ”。

config-file-unreadable = 无法读取该文件：{ $error }
config-not-toml = 不是有效的 TOML：{ $error }
config-whole-number = 应为 { $min } 到 { $max } 之间的整数，实为 { $got }
config-not-number-list = 应为整数列表，实为 { $kind }
config-not-string-list = 应为字符串列表，实为 { $kind }
config-public-url = 应为看板地址，https://（测试时可用 http://），不带路径、查询或片段，例如 https://minyi.example.org，实为 { $got }
config-not-string = 应为字符串，实为 { $kind }
config-not-table = 应为表，实为 { $kind }
config-not-table-list = 应为表的列表（[[{ $key }]]），实为 { $kind }
config-missing = 缺少此项
config-unknown-key = 未知的键（此处可用：{ $known }）
config-one-of-them = 只能设置其中一个，不能同时设置
config-secret-unreadable = 无法读取“{ $path }”：{ $error }
config-secret-empty = “{ $path }”为空
config-not-http-url = 应为以 https:// 或 http:// 开头的网址
config-database-scheme = 应以 sqlite:、postgres:// 或 postgresql:// 开头
config-time-zone = 未知的时区“{ $got }”
config-lang = 应为 zh-CN 或 en-US，实为“{ $got }”
config-no-category = 至少需要一个分类
config-category-twice = 代码“{ $code }”出现了不止一次
config-listen-addr = 应为地址和端口，如 127.0.0.1:9184，实为“{ $got }”
config-mirror-kind = 应为 wecom、dingtalk 或 feishu，实为“{ $got }”
config-value-and-file = { $key } 与 { $key }_file 只能给出一个
config-value-missing = 缺少此项（或给出 { $key }_file）
config-agent-id = 应为应用的 AgentId（正整数），实为 { $got }
config-encoding-aes-key = 应为应用的 EncodingAESKey：管理后台显示的 43 位字母和数字
config-callback-path = 应为 /wecom/callback 这样的路径（字母、数字、-、_ 和 /），实为 { $got }
config-mirror-name = 应为字母、数字、_ 或 -（最多 64 个），实为“{ $got }”
config-mirror-name-twice = 有两个镜像都叫“{ $name }”：请给每个镜像起不同的名字
config-reminder-day = 应小于 rating_days（{ $days }），实为 { $got }
config-cron-fields = 不是带秒字段的有效 cron 表达式（“{ $expr }”）：应有 6 或 7 个字段（秒 分 时 日 月 星期 [年]），实有 { $fields } 个
config-cron = 不是带秒字段的有效 cron 表达式（“{ $expr }”）：{ $detail }
config-username = 应为 Telegram 用户名（5 到 32 个字母、数字或 _，不带 @），实为“{ $got }”
config-category-code = 应为小写字母、数字或 _，实为“{ $got }”
config-empty = 不能为空
cli-bad-config = 配置有误：

## 使命令停止的错误（src/cli/said.rs），其后附原因原文。

cli-run-sqlite-taken = 另一个 `minyi run` 正在使用此 SQLite 数据库（MINYI_DATABASE_URL）；请先停止它，如需运行多个副本请迁移到 PostgreSQL
cli-run-webhook-needs-http = --webhook 需要一个 HTTP 服务来接收：请给出 --http 地址（或 http.listen）
cli-run-no-token = 未设置 TELOXIDE_TOKEN：`minyi run` 需要机器人令牌（或 TELOXIDE_TOKEN_FILE）
cli-run-bad-api-url = TELOXIDE_API_URL 不是有效网址
cli-run-mirror-scope = 镜像 { $name }：没有代码为“{ $scope }”的小组、机构或单位
cli-run-token-refused = Bot API 不接受 TELOXIDE_TOKEN（或 TELOXIDE_API_URL 有误）
cli-run-cannot-listen = 无法在 { $addr } 上监听
cli-db-cannot-open = 无法打开数据库（MINYI_DATABASE_URL）
cli-db-cannot-migrate = 无法迁移数据库

# WeCom (minyi wecom, minyi check)
cli-wecom-missing = 配置中没有 [wecom] 一节：请先设置 corp_id、agent_id、secret、token 和 encoding_aes_key（见 minyi.example.toml）
cli-wecom-refused = 企业微信拒绝了请求
cli-wecom-menu-set = 企业微信应用 { $agent } 的菜单已设置。
check-wecom-keys-ok = 企业微信：回调的 Token 和 EncodingAESKey 可用。
check-wecom-keys-bad = 企业微信：回调密钥不可用（{ $reason }）。
check-wecom-keys-bad-fix = 请从管理后台（应用 → 接收消息 → 设置API接收）重新复制 Token 和 EncodingAESKey。
check-wecom-token-ok = 企业微信：企业 { $corp } 的应用 { $agent } 可获取 access_token。
check-wecom-token-refused = 企业微信：无法获取 access_token（{ $reason }）。
check-wecom-token-refused-fix = 请核对管理后台中的 corp_id 与应用 Secret；错误码 60020 表示本服务器 IP 不在应用的企业可信IP中。
check-wecom-callback-ok = 企业微信：回调地址 { $path } 已在 { $addr } 上提供。
check-wecom-callback-unserved = 企业微信：回调地址 { $path } 未提供：没有 HTTP 监听。
check-wecom-callback-unserved-fix = 请设置 [http] listen（或以 --http ADDR 运行），并将公网地址的 { $path } 转发至此。
wecom-menu-suggest = 提建议
wecom-menu-my = 我的建议
wecom-menu-work = 办理
wecom-menu-queue = 待办
wecom-menu-overdue = 超期
wecom-menu-stats = 统计
cli-demo-wecom = 企业微信
