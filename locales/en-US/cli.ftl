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
import-problem-empty = { $column } is empty
import-problem-bad-code = { $column } "{ $value }" must be up to 64 letters, digits, '-', '_' or '.'
import-problem-own-parent = an org cannot be its own parent
import-problem-unknown-role = unknown role "{ $role }" (expected one of { $expected })
import-problem-bad-telegram-id = telegram_id "{ $value }" is not a Telegram user id (a positive whole number)
import-problem-bad-lang = lang "{ $value }" is not zh-CN or en-US
import-problem-unknown-parent-org = unknown parent org "{ $code }"
import-problem-own-ancestor = org "{ $code }" would be its own ancestor
import-problem-unknown-org = unknown org "{ $code }"
import-problem-unknown-scope-code = unknown scope code "{ $code }"
# $kind: group, unit or org
import-problem-role-needs-scope = role { $role } needs a { $kind } code in scope, none of "{ $scope }" is one
import-problem-telegram-id-taken = telegram_id { $id } belongs to person "{ $owner }"

## `minyi invite`
invite-link =
    One-time invite link for { $name } ({ $code }):
    { $link }

## `minyi migrate`
cli-migrated = The database schema is up to date.
