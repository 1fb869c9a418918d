### Messages of the `minyi` command line: roster import and invites.
### Printed to a terminal (i18n::plain) or sent in a chat (i18n::text): no HTML tags here.

## $kind: orgs, groups, units or people (the `minyi import` argument)

import-kind-orgs = Orgs
import-kind-groups = Groups
import-kind-units = Units
import-kind-people = People
import-done =
    { $kind ->
        [orgs] { import-kind-orgs }
        [groups] { import-kind-groups }
        [units] { import-kind-units }
        [people] { import-kind-people }
       *[other] { $kind }
    } imported: { $inserted } new, { $updated } updated, { $unchanged } unchanged.
import-unchanged =
    { $kind ->
        [orgs] { import-kind-orgs }
        [groups] { import-kind-groups }
        [units] { import-kind-units }
        [people] { import-kind-people }
       *[other] { $kind }
    }: all { $count } records are unchanged; nothing was written.
import-failed =
    { $kind ->
        [orgs] { import-kind-orgs }
        [groups] { import-kind-groups }
        [units] { import-kind-units }
        [people] { import-kind-people }
       *[other] { $kind }
    } not imported: lines with errors: { $count }. Nothing was written; fix them and import again.
import-bad-line = line { $line }: { $reason }

## What is wrong with a line of a roster file: the $reason of import-bad-line, one or several
## joined (src/storage/roster.rs: LineProblem::key, LineProblem::args). Column names, codes and
## role words are shown as the file has them; $error is the CSV reader's own (English) message.
import-problem-unreadable-header = unreadable header: { $error }
import-problem-empty-file = empty file: a header row is required
import-problem-missing-column = missing column "{ $column }" (expected { $expected })
import-problem-unreadable = unreadable: { $error }
import-problem-wrong-column-count = wrong column count: { $got } instead of { $want }
import-problem-not-utf8 = not UTF-8 text
import-problem-duplicate-code = duplicate code "{ $code }" (first on line { $first })
import-problem-duplicate-telegram-id = telegram_id { $id } is also on line { $first }
import-problem-duplicate-wecom-userid = wecom_userid "{ $userid }" is also on line { $first } (WeCom ignores letter case)
import-problem-empty = { $column } is empty
import-problem-bad-code = { $column } "{ $value }" must be up to 64 letters, digits, '-', '_' or '.'
import-problem-own-parent = an org cannot be its own parent
import-problem-unknown-role = unknown role "{ $role }" (expected one of { $expected })
import-problem-bad-telegram-id = telegram_id "{ $value }" is not a Telegram user id (a positive whole number)
import-problem-bad-wecom-userid = wecom_userid "{ $value }" is not a WeCom userid (up to 64 letters, digits and _-@., starting with a letter or digit)
import-problem-bad-lang = lang "{ $value }" is not zh-CN or en-US
import-problem-unknown-parent-org = unknown parent org "{ $code }"
import-problem-own-ancestor = org "{ $code }" would be its own ancestor
import-problem-unknown-org = unknown org "{ $code }"
import-problem-unknown-scope-code = unknown scope code "{ $code }"
# $kind: group, unit or org
import-problem-role-needs-scope = role { $role } needs a { $kind } code in scope, none of "{ $scope }" is one
import-problem-telegram-id-taken = telegram_id { $id } belongs to person "{ $owner }"
import-problem-wecom-userid-taken = wecom_userid "{ $userid }" belongs to person "{ $owner }"

## `minyi invite`
invite-link =
    One-time invite link for { $name } ({ $code }):
    { $link }

## `minyi migrate`
cli-migrated = The database schema is up to date.

## `minyi demo`: the transcript and summary (plain text on a terminal)
cli-demo-title = minyi demo: the whole closed loop, offline, against a built-in Bot API sandbox
cli-demo-database = Database: { $url }
cli-demo-step-invites = 1. Everyone redeems a one-time invite
cli-demo-step-bind = 2. The admin adds the bot to the group chats and binds them
cli-demo-step-file = 3. A deputy files a suggestion from the group chat
cli-demo-step-accept = 4. The group leader accepts it
cli-demo-step-assign = 5. The clerk assigns it to a unit
cli-demo-step-handle = 6. The unit posts progress and its reply
cli-demo-step-rate = 7. Unsatisfied: key supervision, a second reply, then satisfied
cli-demo-step-resident = 8. A resident raises a concern with the deputy
cli-demo-private = private
cli-demo-group = group { $code }
cli-demo-adds-bot = (adds the bot to this group)
cli-demo-presses = (presses [{ $label }])
cli-demo-location = (sends a location: { $lat }, { $lon })
cli-demo-role-deputy = deputy
cli-demo-role-leader = leader
cli-demo-role-town-clerk = town clerk
cli-demo-role-district-clerk = district clerk
cli-demo-role-secretary = secretary
cli-demo-role-chair = chair
cli-demo-role-unit = unit
cli-demo-role-admin = admin
cli-demo-role-resident = resident
cli-demo-summary = Summary
cli-demo-suggestion = { $no } { $title }: { $end }
cli-demo-supervised = after key supervision
cli-demo-request = Resident's request { $request } → { $no }; "was it solved?": { $answer }
cli-demo-answer-no = no (recorded, the deputy was told)
cli-demo-answer-none = not answered
cli-demo-messages = Messages the bot sent ({ $total } in all):
cli-demo-dead = Dead letters: { $count }
cli-demo-elapsed = Elapsed: { $seconds } s
cli-demo-kept = Database kept: { $path }
cli-demo-web = The board
cli-demo-web-link = Sign in as { $name } (works once, within { $minutes } minutes): { $link }
cli-demo-web-wall = The public wall (no sign-in): { $wall }
cli-demo-web-stop = The board stays up until Ctrl-C.

## minyi jobs

cli-jobs-line = { $job }: schedule "{ $schedule }", last run { $last }, next run { $next }
cli-jobs-never = never
cli-jobs-unknown = There is no job { $job }. The jobs are: { $jobs }.
cli-jobs-bad-time = --at { $at } is not an RFC 3339 time (e.g. 2026-03-25T09:00:00+08:00).
cli-jobs-ran = { $job } ran as of { $at }: { $queued } messages queued.
cli-jobs-exists = { $job } has already run as of { $at }; nothing was sent.

## `minyi report` and `minyi export`
cli-unknown-org = No org has the code "{ $code }" (see the orgs file of the roster).
cli-report-needs-output = An .xlsx or .png report needs a file to write to: add -o FILE.xlsx or -o FILE.png.
cli-report-written = Report written to { $path }.
cli-deputies-written = Performance files of { $count } deputies for { $year } written to { $path }.
cli-export-bad-extension = Cannot tell the format of { $path }: the ledger is written as FILE.xlsx or FILE.csv.
cli-export-bad-dates = The dates are the wrong way round: --from { $from } is after --to { $to }.
cli-export-written = Ledger: { $count } suggestions filed { $from } to { $to } written to { $path }.

## minyi check: each check is a line with ✔ or ✘; a ✘ line's "-fix" key is the one thing to do.

check-config-ok = Configuration: valid.
check-config-bad = Configuration: does not load:
    { $problems }
check-config-bad-fix = Correct the file (MINYI_CONFIG, else ./minyi.toml) or the environment variable named, then run minyi check again.
check-db-unreachable = Database: cannot be opened ({ $reason }).
check-db-unreachable-fix = Check MINYI_DATABASE_URL (sqlite://… or postgres://…), that the server runs and that minyi may log in.
check-db-ok = Database: reachable, every migration applied.
check-db-not-ready = Database: { $reason }.
check-db-not-ready-fix = Run minyi migrate (minyi run also migrates at start).
check-token-missing = Telegram: no bot token.
check-token-missing-fix = Set TELOXIDE_TOKEN, or TELOXIDE_TOKEN_FILE to a file holding it (the token BotFather gave you).
check-token-refused = Telegram: the Bot API refuses the token ({ $reason }).
check-token-refused-fix = Copy the token again from BotFather (/mybots → API Token); if you use TELOXIDE_API_URL, check that it is right.
check-token-ok = Telegram: the token works; the bot is @{ $name }.
check-username-differs = Telegram: the token belongs to @{ $name }, but bot_username is { $configured }.
check-username-differs-fix = Set bot_username = "{ $name }" in the configuration: invites and QR posters open the bot named there.
check-cannot-join-groups = Telegram: the bot may not be added to groups.
check-cannot-join-groups-fix = In BotFather: /mybots → your bot → Bot Settings → Allow Groups? → Turn groups on.
check-privacy-on = Telegram: privacy mode is on; in groups the bot sees commands and the replies to its own questions, which is all minyi needs.
check-privacy-off = Telegram: privacy mode is off; the bot sees every group message and minyi ignores what is not for it.
check-groups-bound = Groups: every deputy group has a bound chat.
check-groups-unbound = Groups: { $count } deputy group(s) have no bound chat, so their notices reach no group chat: { $codes }.
check-groups-unbound-fix = Add the bot to each group's chat and send /bind { $first } there (an admin or a clerk of the group's org).
check-people-linked = People: everyone on the roster can be reached (a linked Telegram account or a WeCom userid).
check-people-unlinked = People: { $count } on the roster have neither linked a Telegram account nor a WeCom userid, so nothing reaches them: { $codes }.
check-people-unlinked-fix = Send each an invite: minyi invite { $first } prints a one-time link (or a clerk sends /invite { $first } to the bot); on WeCom, give their userid in the roster's wecom_userid column.
check-mirrors-ok = Mirrors: { $count } group robot(s), every scope code exists.
check-mirrors-unknown = Mirrors: these mirrors name a scope no group, org or unit has: { $names }.
check-mirrors-unknown-fix = Correct scope in [[mirrors]] to a code of the roster, or import the roster first.
check-web-ok = Board: served at { $url } through the HTTP listener { $addr }.
check-web-unserved = Board: [web] public_url is { $url }, but there is no HTTP listener to serve it.
check-web-unserved-fix = Set [http] listen (or run with --http ADDR) and route { $url } to it.
check-wall-ok = Public wall: open for { $codes }.
check-wall-unknown = Public wall: no org has the code(s) { $codes } in [web] public_wall.
check-wall-unknown-fix = Correct [web] public_wall to org codes of the roster, or import the roster first.
check-outbox-no-dead = Outbox: no dead letters.
check-outbox-moving = Outbox: nothing has waited too long to be sent.
check-outbox-dead = Outbox: { $count } message(s) could not be delivered (dead letters).
check-outbox-dead-fix = See them with minyi outbox dead, fix the cause (a blocked bot, a chat that is gone, a robot's key), then minyi outbox retry.
check-outbox-stale = Outbox: the oldest message has waited { $minutes } minutes to be sent.
check-outbox-stale-fix = Make sure minyi run is running and can reach Telegram (see its log and GET /readyz).
check-all-passed = All checks passed.
check-some-failed = { $failed } check(s) failed.
not-ready-no-answer = it does not answer ({ $reason })
not-ready-never-migrated = it was never migrated
not-ready-behind = migrations not applied: { $versions }

## minyi backup

cli-backup-written = Backup written to { $path } ({ $mib } MiB). To restore: stop minyi, copy the file over the database file (and remove its -wal and -shm files), start minyi.
cli-backup-exists = { $path } exists already: a backup never overwrites a file. Choose a new name.
cli-backup-pg-dump = The database is PostgreSQL: back it up with its own tool, while minyi runs:
    { $command }
    Restore with pg_restore into an empty database (see deploy/README.md).

## minyi migrate-data

cli-migrate-data-table = { $table }: { $rows } rows, checksum { $checksum } on both sides
cli-migrate-data-done = Copied { $tables } tables, { $rows } rows, in { $seconds } s, in one transaction. Point MINYI_DATABASE_URL at the PostgreSQL database and start minyi there; keep the SQLite file as it is, as a backup.
cli-migrate-data-refused = Nothing was copied: { $reason }

## The configuration's problems (src/config/problem.rs). Each follows "where: ".

config-file-unreadable = cannot read the file: { $error }
config-not-toml = not valid TOML: { $error }
config-whole-number = must be a whole number from { $min } to { $max }, got { $got }
config-not-number-list = must be a list of whole numbers, got a { $kind }
config-not-string-list = must be a list of strings, got a { $kind }
config-public-url = must be the board's address, https:// (or http:// for a test) with no path, query or fragment, such as https://minyi.example.org, got { $got }
config-not-string = must be a string, got a { $kind }
config-not-table = must be a table, got a { $kind }
config-not-table-list = must be a list of tables ([[{ $key }]]), got a { $kind }
config-missing = is missing
config-unknown-key = unknown key (known here: { $known })
config-one-of-them = set one of them, not both
config-secret-unreadable = cannot read "{ $path }": { $error }
config-secret-empty = "{ $path }" is empty
config-not-http-url = must be a URL starting with https:// or http://
config-database-scheme = must start with sqlite:, postgres:// or postgresql://
config-time-zone = unknown time zone "{ $got }"
config-lang = must be zh-CN or en-US, got "{ $got }"
config-no-category = at least one category is needed
config-category-twice = code "{ $code }" appears more than once
config-listen-addr = must be an address and port such as 127.0.0.1:9184, got "{ $got }"
config-mirror-kind = must be wecom, dingtalk or feishu, got "{ $got }"
config-value-and-file = give { $key } or { $key }_file, not both
config-value-missing = is missing (or give { $key }_file)
config-agent-id = must be the app's AgentId, a positive whole number, got { $got }
config-encoding-aes-key = must be the app's EncodingAESKey: 43 letters and digits, as the admin console shows it
config-callback-path = must be a path such as /wecom/callback (letters, digits, -, _ and /), got { $got }
config-mirror-name = must be letters, digits, _ or - (at most 64), got "{ $got }"
config-mirror-name-twice = two mirrors are named "{ $name }": give each its own name
config-reminder-day = must be less than rating_days ({ $days }), got { $got }
config-cron-fields = not a valid cron expression with seconds ("{ $expr }"): expected 6 or 7 fields (sec min hour day month weekday [year]), got { $fields }
config-cron = not a valid cron expression with seconds ("{ $expr }"): { $detail }
config-username = must be a Telegram username (5 to 32 letters, digits or _, no @), got "{ $got }"
config-category-code = must be lower-case letters, digits or _, got "{ $got }"
config-empty = must not be empty
cli-bad-config = bad configuration:

## What stops a command (src/cli/said.rs); the cause, in its own words, follows.

cli-run-sqlite-taken = another `minyi run` is using this SQLite database (MINYI_DATABASE_URL); stop it first, or move to PostgreSQL to run several replicas
cli-run-webhook-needs-http = --webhook needs an HTTP server to serve it: give --http ADDR (or http.listen)
cli-run-no-token = TELOXIDE_TOKEN is not set: `minyi run` needs the bot's token (or TELOXIDE_TOKEN_FILE)
cli-run-bad-api-url = TELOXIDE_API_URL is not a URL
cli-run-mirror-scope = mirror { $name }: no group, org or unit has the code "{ $scope }"
cli-run-token-refused = the Bot API does not accept TELOXIDE_TOKEN (or TELOXIDE_API_URL is wrong)
cli-run-cannot-listen = cannot listen on { $addr }
cli-db-cannot-open = cannot open the database (MINYI_DATABASE_URL)
cli-db-cannot-migrate = cannot migrate the database

# WeCom (minyi wecom, minyi check)
cli-wecom-missing = there is no [wecom] section in the configuration: set corp_id, agent_id, secret, token and encoding_aes_key first (see minyi.example.toml)
cli-wecom-refused = WeCom refused
cli-wecom-menu-set = The menu of WeCom app { $agent } is set.
check-wecom-keys-ok = WeCom: the callback's Token and EncodingAESKey can be used.
check-wecom-keys-bad = WeCom: the callback's keys cannot be used ({ $reason }).
check-wecom-keys-bad-fix = Copy the Token and EncodingAESKey again from the admin console (应用 → 接收消息 → 设置API接收).
check-wecom-token-ok = WeCom: corp { $corp } gives app { $agent } an access token.
check-wecom-token-refused = WeCom: no access token ({ $reason }).
check-wecom-token-refused-fix = Check corp_id and the app's secret in the admin console; errcode 60020 means this server's IP is not among the app's trusted IPs (企业可信IP).
check-wecom-callback-ok = WeCom: the callback { $path } is served on { $addr }.
check-wecom-callback-unserved = WeCom: the callback { $path } is not served: no HTTP listener.
check-wecom-callback-unserved-fix = Set [http] listen (or run with --http ADDR) and route the public URL's { $path } to it.
wecom-menu-suggest = Suggest
wecom-menu-my = My suggestions
wecom-menu-work = Work
wecom-menu-queue = To do
wecom-menu-overdue = Overdue
wecom-menu-stats = Statistics
cli-demo-wecom = WeCom
