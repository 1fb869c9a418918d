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

## The year's view: the deputies' performance files (minyi report deputies) and the key
## suggestions' report (minyi report key)
report-year-sheet-deputies = Deputies
report-year-sheet-details = Details
report-year-col-code = Code
report-year-col-name = Deputy
report-year-col-groups = Groups
report-year-col-filed = Filed
report-year-col-returned = Returned
report-year-col-accepted = Accepted
report-year-col-assigned = Assigned
report-year-col-replied = Replied
report-year-col-on-time = Replied on time
report-year-col-closed = Closed
report-year-col-satisfied = Satisfied
report-year-col-basic = Basically satisfied
report-year-col-unsatisfied = Unsatisfied
report-year-col-key = Key
report-year-col-requests-received = Requests received
report-year-col-requests-adopted = Requests adopted
report-year-col-requests-declined = Requests declined
report-year-col-receptions = Reception days attended
report-year-col-residents = Residents received
report-year-col-voter-reports = Reports to voters
report-year-col-date = Date
report-year-col-kind = Kind
report-year-col-people = Residents or voters
report-year-col-place = Place
report-year-col-note = Note or evaluation
report-year-kind-reception = Reception day
report-year-kind-voters = Report to voters
report-key-sheet = Key suggestions
report-key-col-carried = Carried over
report-key-col-votes = Votes
report-key-yes = yes
report-key-no = no
report-key-pass = passed
report-key-fail = failed
# $date: the meeting's date; $result: report-key-pass or report-key-fail
report-key-vote = { $date } { $result }
report-key-vote-note = { $date } { $result }: { $note }
report-key-title = Key suggestions of { $year } — { $scope }
report-key-none = No key suggestions were filed in this year or carried into it.
report-key-carried-mark = [carried over]
report-key-details = { $deputy }, { $group } · units: { $units } · { $state } · deadline { $deadline }
# $vote: report-key-vote or report-key-vote-note
report-key-vote-item = vote { $vote }
report-key-summary = Filed in { $year }: { $filed } · carried over from earlier years: { $carried } · still open: { $open }

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
