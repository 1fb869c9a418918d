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
