### Notices the closed loop sends (src/domain/transition.rs: every notice(…, "notice-…", args)).
### Storage adds $no (the suggestion number) and $title to every notice. Values of $level and
### $rating arrive as machine words ("town", "satisfied") and are named here.
### notice-resident-* go to the resident who raised the matter: the number and the status only,
### never the title, a unit or a contact.

## Filing and first review

notice-filed-leader = For review: a deputy filed suggestion <b>{ $no }</b> “{ $title }”. Please review it (accept or return) by { $deadline }.
notice-filed-group = A deputy filed suggestion <b>{ $no }</b> “{ $title }”; it is with the group leader for review.
notice-resubmitted-group = Suggestion <b>{ $no }</b> “{ $title }” was revised and resubmitted; it is with the group leader for review again.
notice-resubmitted-leader = For review: suggestion <b>{ $no }</b> “{ $title }” was revised and resubmitted. Please review it by { $deadline }.
notice-accepted = Suggestion <b>{ $no }</b> “{ $title }” has been accepted and awaits assignment to a handling unit.
notice-accepted-clerk =
    To assign: suggestion <b>{ $no }</b> “{ $title }” has been accepted as a matter at { $level ->
        [town] { level-town }
        [district] { level-district }
        [higher] { level-higher }
       *[other] { $level }
    }. Please { $level ->
        [higher] report it to the higher level
       *[other] assign it to a handling unit
    } by { $deadline }.
notice-returned =
    Suggestion <b>{ $no }</b> “{ $title }” has been returned for revision.
    Reason: { $reason }
    Revise it with /edit { $no }, or withdraw it with /withdraw { $no }.
notice-withdrawn = Suggestion <b>{ $no }</b> “{ $title }” was withdrawn by the deputy.

## Assignment and handling

notice-assigned = Suggestion <b>{ $no }</b> “{ $title }” has been assigned to the handling unit; the deadline is { $deadline }.
notice-assigned-unit =
    Assigned to your unit: suggestion <b>{ $no }</b> “{ $title }”. Please reply to the deputy by { $deadline }.
    Post progress with /progress { $no } and the result with /reply { $no }.
notice-assigned-co-unit =
    Assigned to your unit as a co-unit: suggestion <b>{ $no }</b> “{ $title }”. The lead unit replies to the deputy by { $deadline }.
    Post your unit's progress with /progress { $no }.
notice-extended =
    The deadline of the current step of suggestion <b>{ $no }</b> “{ $title }” has been extended to { $deadline }.
    Reason: { $reason }
notice-merged = Suggestion <b>{ $no }</b> “{ $title }” has been merged into suggestion <b>{ $into }</b> and is handled with it.
notice-transferred =
    Suggestion <b>{ $no }</b> “{ $title }” lies beyond this level and has been reported to the higher level.
    Reason: { $reason }
notice-declined =
    Suggestion <b>{ $no }</b> “{ $title }” has been declined.
    Reason: { $reason }
notice-key = Suggestion <b>{ $no }</b> “{ $title }” is now a key suggestion.
notice-progress =
    Progress on suggestion <b>{ $no }</b> “{ $title }”:
    { $text }

## Reply and rating

notice-replied-rate =
    The handling unit replied to suggestion <b>{ $no }</b> “{ $title }”:
    { $text }
    Please rate the result by { $deadline }: /rate { $no } satisfied, basic or unsatisfied. Without a rating by then it closes as not rated.
notice-replied = The handling unit replied to suggestion <b>{ $no }</b> “{ $title }”; it awaits the deputy's rating.
notice-closed =
    The deputy rated suggestion <b>{ $no }</b> “{ $title }” { $rating ->
        [satisfied] { rating-satisfied }
        [basic] { rating-basic }
        [unsatisfied] { rating-unsatisfied }
       *[other] { $rating }
    }; it is closed.
notice-rated-unit =
    The deputy rated your unit's handling of suggestion <b>{ $no }</b> “{ $title }” { $rating ->
        [satisfied] { rating-satisfied }
        [basic] { rating-basic }
        [unsatisfied] { rating-unsatisfied }
       *[other] { $rating }
    }; it is closed.
notice-auto-closed = Suggestion <b>{ $no }</b> “{ $title }” was not rated within the rating window and has been closed as not rated.
notice-key-supervision = The deputy is unsatisfied with the handling of suggestion <b>{ $no }</b> “{ $title }”. It is now under key supervision, with a new deadline of { $deadline }.
notice-key-supervision-unit = Key supervision: the deputy is unsatisfied with your unit's handling of suggestion <b>{ $no }</b> “{ $title }”. Please handle it again and reply by { $deadline }.
notice-key-supervision-co-unit = Key supervision: the deputy is unsatisfied with the handling of suggestion <b>{ $no }</b> “{ $title }”, which your unit helps handle. Please help handle it again; the lead unit replies by { $deadline }. Post your progress with /progress { $no }.
notice-key-supervision-chair = Key supervision: the deputy is unsatisfied with the handling of suggestion <b>{ $no }</b> “{ $title }”. It is now under key supervision, with a new deadline of { $deadline }.
notice-rated-awaiting-vote = The deputy rated the handling of key suggestion <b>{ $no }</b> “{ $title }” { $rating ->
        [satisfied] { rating-satisfied }
        [basic] { rating-basic }
       *[other] { $rating }
    }. A key suggestion is closed by the standing committee's vote: it now waits for /vote.
notice-explained-key =
    The handling unit explained its handling of key suggestion <b>{ $no }</b> “{ $title }”; it now waits for the standing committee's vote.
    Explanation: { $text }
notice-explained-awaiting-vote =
    The handling unit explained its handling of key suggestion <b>{ $no }</b> “{ $title }”; please record the standing committee's vote with /vote { $no }.
    Explanation: { $text }
notice-unrated-awaiting-vote = The deputy did not rate the reply to key suggestion <b>{ $no }</b> “{ $title }” in time; please record the standing committee's vote with /vote { $no }.
notice-vote-passed = The standing committee's vote of { $date } on key suggestion <b>{ $no }</b> “{ $title }” passed: the suggestion is closed.
notice-vote-failed = The standing committee's vote of { $date } on key suggestion <b>{ $no }</b> “{ $title }” did not pass: it is handled on under key supervision, with a new deadline of { $deadline }.
notice-vote-failed-unit = Key supervision: the standing committee's vote of { $date } on your unit's handling of key suggestion <b>{ $no }</b> “{ $title }” did not pass. Please handle it on and reply by { $deadline }.
notice-vote-failed-co-unit = Key supervision: the standing committee's vote of { $date } on the handling of key suggestion <b>{ $no }</b> “{ $title }”, which your unit helps handle, did not pass. Please help handle it on; the lead unit replies by { $deadline }. Post your progress with /progress { $no }.
notice-explanation-required = The deputy is unsatisfied a second time with the handling of suggestion <b>{ $no }</b> “{ $title }”. The handling unit must explain by { $deadline }; the explanation will be published.
notice-explanation-required-unit = Explanation due: the deputy is unsatisfied a second time with your unit's handling of suggestion <b>{ $no }</b> “{ $title }”. Please explain with /explain { $no } by { $deadline }; the explanation will be published.
notice-explained =
    The handling unit explained its handling of suggestion <b>{ $no }</b> “{ $title }”; the suggestion is closed.
    Explanation: { $text }

## Residents' requests, to the deputy (or the group's leaders) privately

# $request: R-2026-0007; $text: the resident's words (never their name or account).
notice-request-new =
    A resident wrote to you: request <b>{ $request }</b>
    { $text }
    See /inbox to adopt it as a suggestion or to decline it with a reason.
notice-resident-unsolved = The resident who raised request <b>{ $request }</b> says the matter of suggestion <b>{ $no }</b> “{ $title }” is not solved.

## To the resident

notice-resident-adopted = Your request <b>{ $request }</b> has been adopted by the deputy as suggestion <b>{ $no }</b>. You will hear how it is handled.
notice-resident-request-declined =
    Your request <b>{ $request }</b> was not taken up.
    Reason: { $reason }
notice-resident-assigned = The matter you raised is now suggestion <b>{ $no }</b> and has been assigned to a handling unit.
notice-resident-transferred = The matter you raised (suggestion <b>{ $no }</b>) lies beyond this level and has been reported to the higher level.
notice-resident-declined =
    The matter you raised (suggestion <b>{ $no }</b>) has been declined.
    Reason: { $reason }
notice-resident-replied =
    The handling unit replied on the matter you raised (suggestion <b>{ $no }</b>):
    { $text }
# $text: the explanation, or empty when the deputy rated or the rating window ended.
notice-resident-closed =
    The matter you raised (suggestion <b>{ $no }</b>) is closed. Thank you for taking part.
    { $text }
