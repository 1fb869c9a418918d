### What the bot answers in chat (src/bot). Arguments are escaped; the tags are the files' own.

## Commands: the menu's descriptions and the usage lines /help and bad arguments show

bot-cmd-start = Start; open an invite or a resident's link
bot-cmd-help = The commands you may use
bot-cmd-lang = Choose the language (zh or en)
bot-cmd-cancel = Leave the current dialogue
bot-cmd-suggest = File a suggestion
bot-cmd-my = My suggestions
bot-cmd-show = A suggestion's details and timeline
bot-cmd-edit = Revise a returned suggestion and resubmit it
bot-cmd-withdraw = Withdraw a suggestion not yet accepted
bot-cmd-rate = Rate the unit's reply
bot-cmd-inbox = Residents' requests to you
bot-cmd-adopt = Adopt a resident's request as a suggestion
bot-cmd-review = First review: accept or return
bot-cmd-queue = What waits for you
bot-cmd-assign = Assign to a handling unit
bot-cmd-extend = Extend the current deadline
bot-cmd-merge = Merge into another suggestion
bot-cmd-transfer = Report to the higher level
bot-cmd-decline = Decline a suggestion or a resident's request
bot-cmd-key = Mark as a key suggestion
bot-cmd-vote = Record the standing committee's vote on a key suggestion
bot-cmd-record = A deputy's performance file of a year
bot-cmd-received = Record attendance on a reception day
bot-cmd-voters = Record a deputy's report to their voters
bot-cmd-progress = Post a progress note
bot-cmd-reply = Post the unit's reply
bot-cmd-explain = Explain after a second unsatisfied rating
bot-cmd-overdue = Yellow and red items
bot-cmd-stats = Statistics of a month
bot-cmd-bind = Bind this group chat to a group, org or unit
bot-cmd-invite = A one-time invite link for a roster person

bot-usage-start = /start
bot-usage-help = /help
bot-usage-lang = /lang zh|en
bot-usage-cancel = /cancel
bot-usage-suggest = /suggest [title, then the text on the next lines]
bot-usage-my = /my
bot-usage-show = /show <no>
bot-usage-edit = /edit <no> <title, then the text on the next lines>
bot-usage-withdraw = /withdraw <no>
bot-usage-rate = /rate <no> satisfied|basic|unsatisfied
bot-usage-inbox = /inbox
bot-usage-adopt = /adopt <R-no> [category]
bot-usage-review = /review <no> accept [town|district|higher] | return <reason>
bot-usage-queue = /queue
bot-usage-assign = /assign <no> <unit code> [co-unit codes…] [--days N] [--level town|district]
bot-usage-extend = /extend <no> <days> <reason>
bot-usage-merge = /merge <no> <into no>
bot-usage-transfer = /transfer <no> <reason>
bot-usage-decline = /decline <no> <reason> | /decline <R-no> <reason>
bot-usage-key = /key <no>
bot-usage-vote = /vote <no> pass|fail [YYYY-MM-DD of the meeting] [note]
bot-usage-record = /record [deputy code] [year]
bot-usage-received = /received [residents received] [note] | /received <deputy code> <YYYY-MM-DD> [residents] [note]
bot-usage-voters = /voters <deputy code> <YYYY-MM-DD> <voters present> <place> [| evaluation]
bot-usage-progress = /progress <no> <text>
bot-usage-reply = /reply <no> <text>
bot-usage-explain = /explain <no> <text>
bot-usage-overdue = /overdue
bot-usage-stats = /stats [YYYY-MM]
bot-usage-bind = /bind <group, org or unit code>
bot-usage-invite = /invite <person code>

## Bad input

bot-unknown-command = There is no command /{ $name }. Send /help for the commands you may use.
bot-bad-number = “{ $text }” is not a number minyi gives. Suggestion numbers look like 2026-0042, residents' requests like R-2026-0007.
bot-usage = Please write it like this: { $usage }
bot-edit-not-read = Edits are not read: send the command again as a new message.
bot-stale-button = This button is no longer valid.
bot-hint-person = Send /help for the commands you may use, or /suggest to file a suggestion.
bot-hint-resident = To raise a concern with a deputy, open the link or QR code of your deputy or liaison station. Send /help for more.
bot-private-only = Please open this link in a private chat with the bot.
bot-not-a-group-chat = This chat is not bound to a deputy group. File in a private chat with the bot, or ask a clerk to /bind this chat.

## Greetings, language, invites, binding

bot-welcome-person = Hello, { $name }. Send /help for the commands you may use.
bot-welcome-resident = Hello! This is minyi, the deputies' suggestion desk. To raise a concern, open the link or QR code of your deputy or liaison station.
bot-invite-redeemed = Welcome, { $name }: this Telegram account is now linked to you.
bot-lang-choose = Choose your language:
bot-lang-set = The language is now English.
bot-cancelled = Cancelled. Nothing was filed.
bot-nothing-to-cancel = There is nothing to cancel.
bot-added-to-group = Hello! An admin or a clerk can bind this chat to a deputy group, org or unit with /bind followed by its code; the chat then receives that scope's notices.
bot-bind-in-group = /bind works in a group chat: add the bot to the group and send it there.
bot-bound = This chat is now bound to { $code } and receives its notices.
bot-invite-link =
    Invite for { $name } ({ $code }), valid once for { $days } days:
    { $link }
bot-invite-sent-privately = The invite link was sent to you privately.

## Filing

bot-ask-title = What is the title of your suggestion? (one line; /cancel to stop)
bot-ask-body = Now the text: what is the problem, and what do you suggest?
bot-ask-category = Choose a category:
bot-ask-confirm = Press File to file it or Cancel to drop it. You may still send one photo or a location to attach.
bot-confirm =
    <b>{ $title }</b>
    { $body }
    Category: { $category }
bot-has-photo = 📷 A photo is attached.
bot-has-location = 📍 Location: { $lat }, { $lon }
bot-filed = Filed as suggestion <b>{ $no }</b> “{ $title }”. Your group leader reviews it next; you will hear of every step.
bot-done = Done: suggestion <b>{ $no }</b> is now { $state }.
bot-duplicate = This was done already; nothing was changed.
bot-ask-reason = Please send the reason as text (or /cancel).
bot-ask-return-reason = Why is suggestion <b>{ $no }</b> returned? Send the reason (or /cancel).

## Assigning

bot-pick-unit = Assign suggestion <b>{ $no }</b> to which handling unit? (For co-units, days or level, use /assign.)
bot-no-units = There is no unit you may assign to.

## Lists

bot-my-empty = You have filed no suggestions yet. Send /suggest to file one.
bot-my-head = <b>Your suggestions</b> ({ $total }), page { $page } of { $pages }:
bot-queue-empty = Nothing waits for you.
bot-queue-head = <b>Waiting for you</b> ({ $total }):
bot-overdue-empty = No yellow or red items.
bot-overdue-head = <b>Yellow and red items</b> ({ $total }):
bot-list-item = { $mark } <b>{ $no }</b>{ $key } { $title } — { $state } { $deadline }

## /show

bot-show =
    <b>{ $no }</b> “{ $title }”
    State: { $state }
    Deputy: { $deputy }, group { $group }
    Category: { $category }; level: { $level }
    Units: { $units }
    Deadline: { $deadline }
    Filed: { $filed }

    { $body }
bot-unit-lead = lead
bot-unit-co = co-unit
bot-flag-key = ★ Key suggestion
bot-flag-awaiting-vote = ⚖ Waiting for the standing committee's vote
bot-flag-supervised = ⚠ Under key supervision
bot-flag-resident = From a resident's request ({ $request })
bot-flag-rating = Rating: { $rating }
bot-timeline = <b>Timeline</b>
bot-event = { $at } { $kind } ({ $actor })
bot-actor-system = minyi

## Residents

bot-concern-to-deputy = You are writing to deputy { $name }. Please describe your concern in one message; you may send a photo or a location with it.
bot-concern-to-group = You are writing to the deputies of { $name }. Please describe your concern in one message; you may send a photo or a location with it.
bot-concern-need-text = Attached. Now please describe your concern in words.
bot-concern-received = Thank you. Your request is numbered <b>{ $request }</b>; you will hear when a deputy takes it up.
bot-inbox-empty = No residents' requests are waiting.
bot-inbox-head = <b>Residents' requests</b>: { $shown } of { $total }, oldest first.
bot-inbox-item =
    <b>{ $request }</b> ({ $date })
    { $text }
bot-adopted = Request <b>{ $request }</b> adopted as suggestion <b>{ $no }</b>. The resident was told.
bot-request-declined = Request <b>{ $request }</b> declined; the resident was told the reason.
bot-ask-decline-reason = Why is request <b>{ $request }</b> declined? Send the reason; the resident will read it (or /cancel).
bot-solved-yes = Thank you for your answer: solved.
bot-solved-no = Thank you. Your answer “not solved” was passed to the deputy.

## Buttons

bot-btn-accept = ✅ Accept
bot-btn-return = ↩ Return
bot-btn-assign = 📤 Assign
bot-btn-adopt = ✅ Adopt
bot-btn-decline = ✖ Decline
bot-btn-yes = Yes, solved
bot-btn-no = No, not solved
bot-btn-file = ✅ File
bot-btn-cancel = ✖ Cancel

## Timeline events

event-filed = filed
event-accepted = accepted
event-returned = returned
event-resubmitted = resubmitted
event-withdrawn = withdrawn
event-assigned = assigned
event-extended = deadline extended
event-merged = merged
event-transferred = transferred
event-declined = declined
event-marked-key = marked key
event-progress = progress
event-replied = replied
event-rated = rated
event-key-supervision = key supervision
event-explanation-required = explanation required
event-explained = explained
event-auto-closed = closed unrated
event-vote-passed = committee vote passed
event-vote-failed = committee vote failed

## /help

bot-help-person = <b>{ $name }</b> ({ $roles }). Your commands:
bot-help-resident = You can raise a concern with a deputy through their link or QR code. Commands:

## Places and limits

bot-private-only-command = Residents' requests are shown in a private chat with the bot only: please send this command there.
bot-some-units-by-command = Units whose code is too long for a button: use /assign with the unit's code.

# WeCom
wecom-not-on-roster = Your WeCom account ({ $userid }) is not on minyi's roster. Ask your people's congress office to add your WeCom userid.
wecom-card-done = Done
wecom-photo-elsewhere = (This suggestion has a photo; it cannot be shown here.)
bot-cmd-channel = Choose where your notices go (telegram, wecom or all)
bot-usage-channel = /channel telegram|wecom|all
bot-channel-now = You can be reached on: { $have }. Your notices go to: { $channel }.
bot-channel-set = Done: your notices now go to { $channel }.
bot-channel-missing = The roster gives you no { $channel } account, so notices cannot go there. Nothing was changed.
bot-channel-telegram = Telegram
bot-channel-wecom = WeCom
bot-channel-all = every channel you have

# What a step did, said to the person who took it.
bot-done-accepted = Done: suggestion <b>{ $no }</b> is accepted and goes to the clerks for assignment.
bot-done-resubmitted = Done: suggestion <b>{ $no }</b> is submitted again, for the leader's review.
bot-done-withdrawn = Done: suggestion <b>{ $no }</b> is withdrawn.
bot-done-merged = Done: suggestion <b>{ $no }</b> is merged into another and handled with it.
bot-done-transferred = Done: suggestion <b>{ $no }</b> is transferred to the congress above; the deputy will be told.
bot-done-declined = Done: suggestion <b>{ $no }</b> is declined; the deputy will be told why.
bot-done-marked-key = Done: suggestion <b>{ $no }</b> is marked as a key suggestion.
bot-done-vote-passed = Recorded: the committee's vote on suggestion <b>{ $no }</b> passed; it is closed and everyone is told.
bot-done-vote-failed = Recorded: the committee's vote on suggestion <b>{ $no }</b> failed; it stays under key supervision until { $deadline }, and the units, clerks and deputy are told.

## The year's view: reception days, reports to voters, the performance file

bot-received = Recorded: { $name } attended the reception day { $date }.{ $residents }
bot-received-residents = { " " }Residents received: { $n }.
bot-voters-recorded = Recorded: { $name } reported to { $voters } voters on { $date } at { $place }.
bot-record =
    <b>Performance file of { $name } ({ $code }), { $year }</b>
    Groups: { $groups }
    Suggestions filed: { $filed } ({ $categories })
    Returned for revision: { $returned } · accepted: { $accepted } · assigned: { $assigned }
    Replied: { $replied } (on time: { $on_time }) · closed: { $closed }
    Ratings given: satisfied { $satisfied }, basic { $basic }, unsatisfied { $unsatisfied }
    Key suggestions: { $key }
    Residents' requests: { $received } received, { $adopted } adopted, { $declined } declined
    Reception days attended: { $receptions } (residents received: { $residents })
    Reports to voters: { $reports }
bot-record-reception = · reception day { $date }: { $residents } { $note }
bot-record-report = · report to voters { $date }, { $place }, { $voters } voters { $evaluation }
bot-done-returned = Done: suggestion <b>{ $no }</b> is returned to the deputy with your reason.
bot-done-assigned = Done: suggestion <b>{ $no }</b> is assigned to the unit, due { $deadline }.
bot-done-extended = Done: suggestion <b>{ $no }</b> is extended, now due { $deadline }.
bot-done-progress = Progress on suggestion <b>{ $no }</b> is on the record; the deputy has been told.
bot-done-replied = Your reply to suggestion <b>{ $no }</b> went to the deputy, who rates it by { $deadline }.
bot-done-explained = Your explanation for suggestion <b>{ $no }</b> is on the record; the deputy has been told.
bot-done-rated = You rated the reply to suggestion <b>{ $no }</b> “{ $rating }”; the suggestion is closed.
bot-done-rated-awaiting-vote = You rated the reply to key suggestion <b>{ $no }</b> “{ $rating }”. A key suggestion is closed by the standing committee's vote: it now waits for it.
bot-done-explained-awaiting-vote = Your explanation of key suggestion <b>{ $no }</b> is on the record and told to the deputy; the suggestion now waits for the standing committee's vote.
bot-done-key-supervision = You rated the reply to suggestion <b>{ $no }</b> unsatisfied: it is now under key supervision, and the unit must handle it again and reply by { $deadline }.
bot-done-explanation-required = You rated the reply to suggestion <b>{ $no }</b> unsatisfied again: the unit must explain by { $deadline }, and the explanation will be public.
bot-btn-progress = 📝 Progress
bot-btn-reply = ✉️ Reply
bot-ask-progress = Send the progress on suggestion { $no } as text (or /cancel).
bot-ask-reply = Send the reply to suggestion { $no } as text (or /cancel).
bot-ask-text = Please send it as text (or /cancel).
bot-photo-elsewhere = (A photo sent from WeCom is attached; it cannot be shown here.)
bot-dialogue-still-open = (The step is done, but this conversation could not be closed: send /cancel before your next message.)
bot-usage-web = /web
bot-cmd-web = A one-time link to the board in a browser
bot-web-off = The web board is not set up here ([web] public_url). Ask the IT office.
bot-web-link = Your sign-in link to the board: { $link }
    It works once, within { $minutes } minutes, and only for you: do not pass it on.
bot-board-button = Board
bot-forwarded-command = A forwarded message is not read as a command. To do this yourself, send the command as your own message.
