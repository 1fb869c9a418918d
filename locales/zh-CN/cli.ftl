### Messages of the `minyi` command line: roster import and invites.
### Printed to a terminal (i18n::plain) or sent in a chat (i18n::text): no HTML tags here.

## $kind: orgs, groups, units or people (the `minyi import` argument)

import-kind-orgs = 机构
import-kind-groups = 代表小组
import-kind-units = 承办单位
import-kind-people = 人员名册
import-done =
    { $kind ->
        [orgs] { import-kind-orgs }
        [groups] { import-kind-groups }
        [units] { import-kind-units }
        [people] { import-kind-people }
       *[other] { $kind }
    }导入完成：新增 { $inserted } 条，更新 { $updated } 条，无变化 { $unchanged } 条。
import-unchanged =
    { $kind ->
        [orgs] { import-kind-orgs }
        [groups] { import-kind-groups }
        [units] { import-kind-units }
        [people] { import-kind-people }
       *[other] { $kind }
    }：{ $count } 条记录均无变化，未作修改。
import-failed =
    { $kind ->
        [orgs] { import-kind-orgs }
        [groups] { import-kind-groups }
        [units] { import-kind-units }
        [people] { import-kind-people }
       *[other] { $kind }
    }导入失败：{ $count } 行有误，全部未导入。请修正后重新导入。
import-bad-line = 第 { $line } 行：{ $reason }
invite-link =
    { $name }（{ $code }）的邀请链接如下，仅可使用一次：
    { $link }

## `minyi migrate`
cli-migrated = 数据库结构已是最新。
