### Notices the closed loop sends (src/domain/transition.rs: every notice(…, "notice-…", args)).
### Storage adds $no (the suggestion number) and $title to every notice. Values of $level and
### $rating arrive as machine words ("town", "satisfied") and are named here.
### notice-resident-* go to the resident who raised the matter: the number and the status only,
### never the title, a unit or a contact.

## Filing and first review (提交、初审)

notice-filed-leader = 【待初审】代表提交了建议 <b>{ $no }</b>「{ $title }」，请于 { $deadline } 前完成初审（受理或退回修改）。
notice-filed-group = 代表提交了建议 <b>{ $no }</b>「{ $title }」，已送代表小组组长初审。
notice-resubmitted-group = 建议 <b>{ $no }</b>「{ $title }」已修改并重新提交，再次送代表小组组长初审。
notice-resubmitted-leader = 【待初审】建议 <b>{ $no }</b>「{ $title }」已修改并重新提交，请于 { $deadline } 前完成初审。
notice-accepted = 建议 <b>{ $no }</b>「{ $title }」已受理，待交办承办单位。
notice-accepted-clerk =
    【待交办】建议 <b>{ $no }</b>「{ $title }」已受理，属{ $level ->
        [town] { level-town }
        [district] { level-district }
        [higher] { level-higher }
       *[other] { $level }
    }事项，请于 { $deadline } 前{ $level ->
        [higher] 转报上级
       *[other] 交办承办单位
    }。
notice-returned =
    建议 <b>{ $no }</b>「{ $title }」已退回修改。
    理由：{ $reason }
    请修改后发送 /edit { $no } 重新提交，或发送 /withdraw { $no } 撤回。
notice-withdrawn = 建议 <b>{ $no }</b>「{ $title }」已由代表撤回。

## Assignment and handling (交办、办理)

notice-assigned = 建议 <b>{ $no }</b>「{ $title }」已交办承办单位，办理期限至 { $deadline }。
notice-assigned-unit =
    【交办】建议 <b>{ $no }</b>「{ $title }」交由贵单位办理，请于 { $deadline } 前答复代表。
    办理中可发送 /progress { $no } 反馈进展，办结后发送 /reply { $no } 答复。
notice-assigned-co-unit =
    【交办】建议 <b>{ $no }</b>「{ $title }」交由贵单位协办，主办单位须于 { $deadline } 前答复代表。
    办理中可发送 /progress { $no } 反馈进展。
notice-extended =
    建议 <b>{ $no }</b>「{ $title }」当前环节期限延长至 { $deadline }。
    理由：{ $reason }
notice-merged = 建议 <b>{ $no }</b>「{ $title }」已并入建议 <b>{ $into }</b> 一并办理。
notice-transferred =
    建议 <b>{ $no }</b>「{ $title }」属上级职权范围，已转报上级办理。
    理由：{ $reason }
notice-declined =
    建议 <b>{ $no }</b>「{ $title }」不予受理。
    理由：{ $reason }
notice-key = 建议 <b>{ $no }</b>「{ $title }」已列为重点建议。
notice-progress =
    建议 <b>{ $no }</b>「{ $title }」办理进展：
    { $text }

## Reply and rating (答复、评价)

notice-replied-rate =
    承办单位已答复建议 <b>{ $no }</b>「{ $title }」：
    { $text }
    请于 { $deadline } 前对办理结果作出评价：发送 /rate { $no } 满意（或 基本满意、不满意）。逾期未评价的，按未评价办结。
notice-replied = 承办单位已答复建议 <b>{ $no }</b>「{ $title }」，待代表评价。
notice-closed =
    建议 <b>{ $no }</b>「{ $title }」代表评价为「{ $rating ->
        [satisfied] { rating-satisfied }
        [basic] { rating-basic }
        [unsatisfied] { rating-unsatisfied }
       *[other] { $rating }
    }」，已办结。
notice-rated-unit =
    贵单位办理的建议 <b>{ $no }</b>「{ $title }」，代表评价为「{ $rating ->
        [satisfied] { rating-satisfied }
        [basic] { rating-basic }
        [unsatisfied] { rating-unsatisfied }
       *[other] { $rating }
    }」，已办结。
notice-auto-closed = 建议 <b>{ $no }</b>「{ $title }」答复后评价期限届满未评价，已按未评价办结。
notice-key-supervision = 代表对建议 <b>{ $no }</b>「{ $title }」的办理结果不满意，已列入重点督办，重新办理期限至 { $deadline }。
notice-key-supervision-unit = 【重点督办】代表对贵单位办理的建议 <b>{ $no }</b>「{ $title }」不满意，请重新办理，并于 { $deadline } 前再次答复。
notice-key-supervision-co-unit = 【重点督办】代表对贵单位协办的建议 <b>{ $no }</b>「{ $title }」的办理结果不满意，请配合重新办理，主办单位须于 { $deadline } 前再次答复；可发送 /progress { $no } 反馈进展。
notice-key-supervision-chair = 【重点督办】代表对建议 <b>{ $no }</b>「{ $title }」的办理结果不满意，已列入重点督办，重新办理期限至 { $deadline }，请予督办。
notice-rated-awaiting-vote = 代表对重点建议 <b>{ $no }</b>「{ $title }」的办理评价为「{ $rating ->
        [satisfied] { rating-satisfied }
        [basic] { rating-basic }
       *[other] { $rating }
    }」。重点建议须经常委会表决通过方可结案，现待表决（/vote）。
notice-explained-key =
    承办单位已对重点建议 <b>{ $no }</b>「{ $title }」的办理作出说明，现待常委会表决。
    说明：{ $text }
notice-explained-awaiting-vote =
    承办单位已对重点建议 <b>{ $no }</b>「{ $title }」的办理作出说明，请以 /vote { $no } 录入常委会表决结果。
    说明：{ $text }
notice-unrated-awaiting-vote = 代表未在期限内评价重点建议 <b>{ $no }</b>「{ $title }」的答复，请以 /vote { $no } 录入常委会表决结果。
notice-vote-passed = 重点建议 <b>{ $no }</b>「{ $title }」经常委会 { $date } 表决通过，已办结。
notice-vote-failed = 重点建议 <b>{ $no }</b>「{ $title }」常委会 { $date } 表决未通过，继续重点督办，新的办理期限至 { $deadline }。
notice-vote-failed-unit = 【重点督办】贵单位办理的重点建议 <b>{ $no }</b>「{ $title }」常委会 { $date } 表决未通过，请继续办理，并于 { $deadline } 前再次答复。
notice-vote-failed-co-unit = 【重点督办】贵单位协办的重点建议 <b>{ $no }</b>「{ $title }」常委会 { $date } 表决未通过，请配合继续办理，主办单位须于 { $deadline } 前再次答复；可发送 /progress { $no } 反馈进展。
notice-explanation-required = 代表对建议 <b>{ $no }</b>「{ $title }」的办理结果再次表示不满意，承办单位须于 { $deadline } 前作出说明，说明将予公开。
notice-explanation-required-unit = 【须作说明】代表对贵单位办理的建议 <b>{ $no }</b>「{ $title }」再次表示不满意，请于 { $deadline } 前发送 /explain { $no } 作出说明，说明将予公开。
notice-explained =
    承办单位已就建议 <b>{ $no }</b>「{ $title }」作出说明，该建议办结。
    说明：{ $text }

## Residents' requests, to the deputy (or the group's leaders) privately (群众诉求)

# $request: R-2026-0007; $text: the resident's words (never their name or account).
notice-request-new =
    有群众向您反映诉求 <b>{ $request }</b>：
    { $text }
    请发送 /inbox 查看，可采纳为代表建议，或说明理由后婉拒。
notice-resident-unsolved = 提出诉求 <b>{ $request }</b> 的群众反馈：建议 <b>{ $no }</b>「{ $title }」反映的问题尚未解决。

## To the resident (群众反馈)

notice-resident-adopted = 您的诉求 <b>{ $request }</b> 已被代表采纳，形成代表建议 <b>{ $no }</b>，办理进展将及时告知您。
notice-resident-request-declined =
    您的诉求 <b>{ $request }</b> 暂未被采纳。
    理由：{ $reason }
notice-resident-assigned = 您反映的问题已形成代表建议 <b>{ $no }</b>，现已交办承办单位办理。
notice-resident-transferred = 您反映的问题（建议 <b>{ $no }</b>）属上级职权范围，已转报上级办理。
notice-resident-declined =
    您反映的问题（建议 <b>{ $no }</b>）不予受理。
    理由：{ $reason }
notice-resident-replied =
    您反映的问题（建议 <b>{ $no }</b>）承办单位已答复：
    { $text }
# $text: the explanation, or empty when the deputy rated or the rating window ended.
notice-resident-closed =
    您反映的问题（建议 <b>{ $no }</b>）已办结，感谢您的参与。
    { $text }
