### 报表：月度报告（群消息或终端：Telegram HTML，终端去掉标记）与工作簿的台账、汇总表（纯文本）。

## 月度报告
# $scope：report-scope 或 report-scope-all；$month：report-month
report-title = <b>{ $scope } { $month } 建议办理月报</b>
report-scope = { $name }（{ $code }）
report-scope-all = 全部机构
# $month：1–12，$mm：01–12
report-month = { $year }年{ $month }月
report-no-suggestions = 本月没有收到建议。
report-line = { $label }：{ $value }
report-rate-value = { $rate }（{ $part }/{ $whole }）
report-received = 收到建议
report-accepted = 受理
report-assigned = 交办
report-replied = 答复
report-closed = 办结
report-completion-rate = 办结率
report-on-time = 按期答复
report-on-time-rate = 按期答复率
report-satisfied = 满意
report-basic = 基本满意
report-unsatisfied = 不满意
report-rated = 已测评
report-satisfaction-rate = 满意率
report-overdue = 当前逾期
report-categories = 分类统计
report-key-line = 重点建议：本月提出 { $filed } 件；以前年度结转 { $carried } 件，其中仍在办理 { $open } 件。
report-category-line = · { $name }：{ $count }
report-ranking = 小组排名
report-rank-line = { $rank }. { $name }（{ $code }）办结率 { $completion }，满意率 { $satisfaction }，收到 { $received }

## 工作表
report-sheet-ledger = 台账
report-sheet-summary = 汇总
report-col-no = 编号
report-col-date = 提交日期
report-col-deputy = 代表
report-col-group = 代表小组
report-col-title = 标题
report-col-category = 分类
report-col-level = 层级
report-col-units = 承办单位
report-col-state = 状态
report-col-deadline = 期限
report-col-colour = 督办颜色
report-col-days = 用时（天）
report-col-rating = 测评
report-col-outcome = 办结方式
report-col-rank = 名次

## 年度履职：代表履职档案（minyi report deputies）与重点建议报表（minyi report key）
report-year-sheet-deputies = 代表履职
report-year-sheet-details = 履职明细
report-year-col-code = 编号
report-year-col-name = 代表
report-year-col-groups = 代表小组
report-year-col-filed = 提交建议
report-year-col-returned = 退回修改
report-year-col-accepted = 受理
report-year-col-assigned = 交办
report-year-col-replied = 答复
report-year-col-on-time = 按期答复
report-year-col-closed = 办结
report-year-col-satisfied = 满意
report-year-col-basic = 基本满意
report-year-col-unsatisfied = 不满意
report-year-col-key = 重点建议
report-year-col-requests-received = 收到群众诉求
report-year-col-requests-adopted = 采纳诉求
report-year-col-requests-declined = 未采纳诉求
report-year-col-receptions = 参加接待日
report-year-col-residents = 接待群众
report-year-col-voter-reports = 向选民述职
report-year-col-date = 日期
report-year-col-kind = 类别
report-year-col-people = 群众或选民人数
report-year-col-place = 地点
report-year-col-note = 备注或测评
report-year-kind-reception = 接待日
report-year-kind-voters = 向选民述职
report-key-sheet = 重点建议
report-key-col-carried = 结转
report-key-col-votes = 表决
report-key-yes = 是
report-key-no = 否
report-key-pass = 通过
report-key-fail = 未通过
# $date：会议日期；$result：report-key-pass 或 report-key-fail
report-key-vote = { $date } { $result }
report-key-vote-note = { $date } { $result }：{ $note }
report-key-title = { $year }年重点建议 — { $scope }
report-key-none = 本年度没有提交或结转的重点建议。
report-key-carried-mark = 【结转】
report-key-details = { $deputy }，{ $group } · 承办单位：{ $units } · { $state } · 期限 { $deadline }
# $vote：report-key-vote 或 report-key-vote-note
report-key-vote-item = 表决 { $vote }
report-key-summary = { $year }年提交 { $filed } 件 · 往年结转 { $carried } 件 · 尚未办结 { $open } 件

## 日报工作簿与终端文本
report-daily-sheet-groups = 代表小组
report-daily-sheet-deputies = 代表
report-daily-sheet-red = 超期事项
report-daily-col-day = 当日
report-daily-col-month = 本月
report-daily-col-deputies = 代表人数
report-daily-col-without = 未提交人数
report-daily-col-green = 绿牌
report-daily-col-yellow = 黄牌
report-daily-col-red = 红牌
report-daily-col-waiting = 待评价
report-daily-title = { $date } 履职日报 — { $scope }
report-daily-future = { $month } 尚未开始：日报只统计已过去的日子。
