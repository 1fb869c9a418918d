### Text drawn into PNG pictures (src/charts) and the `minyi qr` command's output.
### Plain text (i18n::plain): no HTML tags here.

## The monthly report's chart: two bars per group
chart-completion = 办结率
chart-satisfaction = 满意率
chart-y-axis = 比率（%）
chart-no-data = 无数据
chart-filed = 本月建议数
chart-without = 未提交代表数
chart-y-count = 数量

## The residents' poster (码上找代表)
poster-title = 码上找代表
# $name: the deputy's name
poster-caption-deputy = 用 Telegram 扫一扫，向 { $name } 代表反映问题、提出建议
# $name: the group's name
poster-caption-group = 用 Telegram 扫一扫，联系 { $name } 的人大代表

## `minyi qr`
cli-qr-written =
    海报已保存：{ $path }
    链接：{ $link }
cli-qr-unknown-deputy = 找不到代码为“{ $code }”的代表，未生成海报。
cli-qr-unknown-group = 找不到代码为“{ $code }”的代表小组，未生成海报。
cli-qr-bad-code = 代码“{ $code }”含有 Telegram 链接不能携带的字符或过长（只允许字母、数字、_ 和 -，最多 62 个），未生成海报。
