# The board's reports page (/reports): a month's figures of an org, its chart and the downloads.
# The figures' own labels are the monthly report's (report.ftl).
web-reports-title = Reports
web-reports-org = Org
web-reports-month = Month
web-reports-show = Show
# $month: what was given for the month, as it was given
web-reports-bad-month = “{ $month }” is not a month as YYYY-MM; this month is shown instead.
web-reports-not-a-month = “{ $month }” is not a month as YYYY-MM.
# $month: YYYY-MM
web-reports-previous = ← { $month }
web-reports-next = { $month } →
web-reports-note = The suggestions filed in the month in the org's groups (its whole subtree); what is overdue is counted now.
web-reports-chart-alt = The groups' completion and satisfaction rates
# $count: how many groups the chart shows at most
web-reports-chart-top = The chart shows the first { $count } groups of the ranking.
web-reports-downloads = Downloads
web-reports-monthly-xlsx = Monthly workbook: the ledger and the summary (.xlsx)
web-reports-ledger-xlsx = Ledger (.xlsx)
web-reports-ledger-csv = Ledger (.csv)
web-reports-chart-png = Chart (.png)
