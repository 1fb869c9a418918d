### Short replies to an action the rules refused (src/domain/refusal.rs: Refusal::key, Refusal::args).
### Nothing was changed; the reply says why.

refusal-not-your-role = 您的角色不能办理此项操作。
refusal-out-of-scope = 您的角色只能在本人职责范围内（本人的建议、所在代表小组、所在机构或所在单位）办理此项操作，此项不在范围内。
# $state: the machine word of the state ("assigned"); a display name passes through as is.
refusal-wrong-state =
    该建议目前处于「{ $state ->
        [submitted] { state-submitted }
        [returned] { state-returned }
        [withdrawn] { state-withdrawn }
        [accepted] { state-accepted }
        [assigned] { state-assigned }
        [replied] { state-replied }
        [explaining] { state-explaining }
        [closed] { state-closed }
        [merged] { state-merged }
        [transferred] { state-transferred }
        [declined] { state-declined }
       *[other] { $state }
    }」状态，不能办理此项操作。
refusal-reason-required = 请写明理由。
refusal-text-required = 请填写内容。
refusal-title-required = 请填写建议标题（第一行即为标题）。
refusal-title-too-long = 标题不能超过 { $max } 个字。
refusal-text-too-long = 内容不能超过 { $max } 个字。
refusal-days-out-of-range = 天数须在 1 至 { $max } 天之间。
refusal-duplicate-unit = 同一承办单位不能重复指定。
refusal-merge-into-self = 建议不能并入其本身。
refusal-merge-target-not-open = 建议 <b>{ $no }</b> 不能并入：只能并入已受理且尚未办结的建议。
refusal-unit-out-of-scope = 只能交办给本机构及下级机构的承办单位。
refusal-use-transfer = 上级事项请用 /transfer 转报，不能交办。
refusal-already-key = 该建议已列为重点建议。
refusal-not-due = 评价期限尚未届满，暂不能办结。
refusal-no-group = 无法确定您所在的代表小组：您不是该小组的代表，或同时属于多个小组，请在本小组绑定的群聊中提交。
refusal-unknown-category = 没有「{ $category }」这一分类。
refusal-not-key = 只有重点建议才提请常委会表决。
refusal-awaiting-vote = 该重点建议正待常委会表决（/vote）。
refusal-not-reception-day = { $date } 不是接待日。
refusal-not-today = 代表须在接待日当天登记到岗；{ $date } 的到岗可由工作人员补登。
refusal-future-date = 日期 { $date } 尚未到来。
refusal-already-received = { $date } 的到岗已登记。
refusal-too-many = 数字不能超过 { $max }。
