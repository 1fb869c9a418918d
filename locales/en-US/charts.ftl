### Text drawn into PNG pictures (src/charts) and the `minyi qr` command's output.
### Plain text (i18n::plain): no HTML tags here.

## The monthly report's chart: two bars per group
chart-completion = Completion rate
chart-satisfaction = Satisfaction rate
chart-y-axis = Rate (%)
chart-no-data = no data
chart-filed = Suggestions this month
chart-without = Deputies with none
chart-y-count = Count

## The residents' poster (码上找代表)
poster-title = Reach your deputy
# $name: the deputy's name
poster-caption-deputy = Scan with Telegram to bring your concerns and suggestions to deputy { $name }
# $name: the group's name
poster-caption-group = Scan with Telegram to reach the deputies of { $name }

## `minyi qr`
cli-qr-written =
    Poster written to { $path }
    Link: { $link }
cli-qr-unknown-deputy = No deputy has the code "{ $code }"; no poster was written.
cli-qr-unknown-group = No deputy group has the code "{ $code }"; no poster was written.
cli-qr-bad-code = The code "{ $code }" cannot go into a Telegram link (letters, digits, _ and - only, at most 62); no poster was written.
