### Reports: the monthly report (a chat message or a terminal: Telegram HTML, made plain for a
### terminal) and the ledger and summary sheets of the workbooks (plain text).

## The monthly report
# $scope: report-scope or report-scope-all; $month: report-month
report-title = <b>Monthly report: { $scope }, { $month }</b>
report-scope = { $name } ({ $code })
report-scope-all = all orgs
# $month: 1–12, $mm: 01–12
report-month = { $year }-{ $mm }
report-no-suggestions = No suggestions were filed in this month.
report-line = { $label }: { $value }
report-rate-value = { $rate } ({ $part }/{ $whole })
report-received = Received
report-accepted = Accepted
report-assigned = Assigned
report-replied = Replied
report-closed = Closed
report-completion-rate = Completion rate
report-on-time = Replied on time
report-on-time-rate = On-time rate
report-satisfied = Satisfied
report-basic = Basically satisfied
report-unsatisfied = Unsatisfied
report-rated = Rated
report-satisfaction-rate = Satisfaction rate
report-overdue = Overdue now
report-categories = By category
report-key-line = Key suggestions: { $filed } filed this month; carried over from earlier years: { $carried }, { $open } of them still open.
report-category-line = · { $name }: { $count }
report-ranking = Group ranking
report-rank-line = { $rank }. { $name } ({ $code }): completion { $completion }, satisfaction { $satisfaction }, received { $received }

## The sheets
report-sheet-ledger = Ledger
report-sheet-summary = Summary
report-col-no = Number
report-col-date = Filed
report-col-deputy = Deputy
report-col-group = Group
report-col-title = Title
report-col-category = Category
report-col-level = Level
report-col-units = Units
report-col-state = State
report-col-deadline = Deadline
report-col-colour = Colour
report-col-days = Days
report-col-rating = Rating
report-col-outcome = Outcome
report-col-rank = Rank

## The daily report's workbook and terminal text
report-daily-sheet-groups = Groups
report-daily-sheet-deputies = Deputies
report-daily-sheet-red = Overdue
report-daily-col-day = That day
report-daily-col-month = This month
report-daily-col-deputies = Deputies
report-daily-col-without = With none
report-daily-col-green = Green
report-daily-col-yellow = Yellow
report-daily-col-red = Red
report-daily-col-waiting = Waiting for rating
report-daily-title = Daily report { $date } — { $scope }
report-daily-future = { $month } has not begun: a daily report covers a day that has passed.
