### Pushes of the scheduler's jobs (src/jobs). Storage adds $no and $title to reminders about a
### suggestion; $colour arrives as a machine word (yellow, red); $days is whole days left or
### overdue.

notice-colour-mark = { $colour ->
        [red] 🔴 Overdue
       *[other] 🟡 Due soon
    }

notice-remind-review = { notice-colour-mark }: suggestion <b>{ $no }</b> “{ $title }” awaits your first review, due { $deadline }.
notice-remind-assign = { notice-colour-mark }: suggestion <b>{ $no }</b> “{ $title }” awaits assignment to a handling unit, due { $deadline }.
notice-remind-unit = { notice-colour-mark }: your unit's reply on suggestion <b>{ $no }</b> “{ $title }” is due { $deadline }. Post it with /reply { $no }.
notice-remind-co-unit = { notice-colour-mark }: the reply on suggestion <b>{ $no }</b> “{ $title }”, which your unit helps handle, is due { $deadline }. Post your unit's progress with /progress { $no }.
notice-remind-supervise = { notice-colour-mark }, for supervision: suggestion <b>{ $no }</b> “{ $title }”, current step due { $deadline }.
notice-remind-chair = 🔴 Overdue, for supervision: suggestion <b>{ $no }</b> “{ $title }” passed its deadline of { $deadline }.
notice-remind-rate = Reminder: please rate the reply to suggestion <b>{ $no }</b> “{ $title }”. Without a rating it closes as not rated when the rating window ends.
notice-quota = { $name }, you have filed { $filed } of the { $quota } suggestions expected this month ({ $month }). Send /suggest to file one.
notice-reception-deputy = { $name }, tomorrow ({ $date }) is a reception day at your liaison station.
notice-reception-group = Tomorrow ({ $date }) is a reception day of { $group }.

## daily_report: $body holds the lines below, already laid out

report-daily-group =
    <b>Daily report { $date } — { $group }</b>
    { $body }
report-daily-org =
    <b>Daily report { $date } — { $org }</b>, groups ranked by this month's suggestions:
    { $body }
report-daily-filed = Suggestions filed that day: { $yesterday }; this month: { $month }.
report-daily-deputy = · { $name }: { $month } this month ({ $yesterday } that day)
report-daily-without = None this month yet: { $names }
report-daily-reception = Reception day: { $count } of { $of } deputies attended: { $names }
report-daily-received-residents = { $name } ({ $n } residents)
report-daily-reception-absent = Not recorded: { $names }
report-daily-reception-org = Reception day: { $count } of { $of } deputies attended.
report-daily-open = Open: 🟢 { $green } 🟡 { $yellow } 🔴 { $red }; waiting for a rating: { $waiting }
report-daily-rank = { $rank }. { $group }: { $month } this month ({ $yesterday } that day), { $without } deputies with none. { $open }
report-daily-red-head = 🔴 Overdue ({ $count }), listed until they move:
report-daily-red-item = · { $no } “{ $title }” — { $state }, due { $deadline }
report-daily-red-item-in = · { $group }: { $no } “{ $title }” — { $state }, due { $deadline }
report-daily-red-more = · and { $count } more

## monthly_report: $body is the report's text; the ledger and the chart follow as files

report-monthly = { $body }
