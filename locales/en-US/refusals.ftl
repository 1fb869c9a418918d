### Short replies to an action the rules refused (src/domain/refusal.rs: Refusal::key, Refusal::args).
### Nothing was changed; the reply says why.

refusal-not-your-role = This is not something your role does.
refusal-out-of-scope = Your role does this only within your own scope (your own suggestions, your group, your org or your unit), and this is outside it.
# $state: the machine word of the state ("assigned"); a display name passes through as is.
refusal-wrong-state =
    Not possible while the suggestion is in the state “{ $state ->
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
    }”.
refusal-reason-required = Please give a reason.
refusal-text-required = Please write the text.
refusal-title-required = Please give a title (the first line is the title).
refusal-title-too-long = The title may be at most { $max } characters long.
refusal-text-too-long = The text may be at most { $max } characters long.
refusal-days-out-of-range = Days must be between 1 and { $max }.
refusal-duplicate-unit = A handling unit is named twice.
refusal-merge-into-self = A suggestion cannot be merged into itself.
refusal-merge-target-not-open = Suggestion <b>{ $no }</b> cannot take a merge: only an accepted suggestion that is still open can.
refusal-unit-out-of-scope = You can assign only to units of your own org or below it.
refusal-use-transfer = A higher-level matter is transferred up with /transfer, not assigned.
refusal-already-key = This is already a key suggestion.
refusal-not-due = The rating window has not ended yet.
refusal-no-group = Cannot tell which deputy group to file in: you are not a deputy of that group, or you belong to several. Please file from your group's bound chat.
refusal-unknown-category = There is no category “{ $category }”.
refusal-not-key = Only a key suggestion goes to the standing committee's vote.
refusal-awaiting-vote = This key suggestion waits for the standing committee's vote (/vote).
refusal-not-reception-day = { $date } is not a reception day.
refusal-not-today = Deputies record their attendance on the reception day itself; a clerk can record { $date } for you.
refusal-future-date = The date { $date } has not come yet.
refusal-already-received = Attendance on { $date } is already recorded.
refusal-too-many = The number may be at most { $max }.
