# The board's reports page (/reports): a month's figures of an org, its chart and the downloads.
# The figures' own labels are the monthly report's (report.ftl).
web-reports-title = 报表
web-reports-org = 机构
web-reports-month = 月份
web-reports-show = 查看
# $month: what was given for the month, as it was given
web-reports-bad-month = “{ $month }”不是 YYYY-MM 格式的月份，现显示本月。
web-reports-not-a-month = “{ $month }”不是 YYYY-MM 格式的月份。
# $month: YYYY-MM
web-reports-previous = ← { $month }
web-reports-next = { $month } →
web-reports-note = 统计所选月份内该机构所属各代表小组（含全部下级）提交的建议；超期数按当前时间计算。
web-reports-chart-alt = 各代表小组办结率与满意率
# $count: how many groups the chart shows at most
web-reports-chart-top = 图表仅显示排名前 { $count } 的代表小组。
web-reports-downloads = 下载
web-reports-monthly-xlsx = 月度工作簿：台账及汇总（.xlsx）
web-reports-ledger-xlsx = 台账（.xlsx）
web-reports-ledger-csv = 台账（.csv）
web-reports-chart-png = 图表（.png）
