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
invite-link =
    One-time invite link for { $name } ({ $code }):
    { $link }

## `minyi migrate`
cli-migrated = The database schema is up to date.
