### Answers to requests that name something that is not there, and invite problems.

error-unknown-suggestion = There is no suggestion <b>{ $no }</b> that you may see. Check the number (it looks like 2026-0042).
error-unknown-unit = There is no handling unit with the code { $code }.
error-unknown-code = There is no group, org or unit with the code { $code }.
error-not-a-deputy = There is no deputy with the code { $code }.
error-unknown-person = You are not on the roster yet. Ask your liaison office for an invite link.
error-internal = Something went wrong on our side and nothing was changed. Please try again in a moment.

invite-unknown-person = There is no person with the code { $code } on the roster.
invite-invalid = This invite link does not work: it was used already, replaced by a newer one or has expired. Ask for a new one.
invite-not-your-role = Inviting people is not something your role does: ask a clerk or an administrator of your liaison office.
invite-out-of-scope = You may not invite this person: they are outside your org.
invite-account-taken = This Telegram account is already bound to another person on the roster.
invite-repeated = This /invite was answered already: its link is in the message above. If you do not see it, send /invite again for a new one.
error-unknown-request = There is no resident's request <b>{ $no }</b> for you. Check the number (it looks like R-2026-0007) or see /inbox.
error-request-handled = Request <b>{ $no }</b> was already adopted or declined.
error-unknown-target = This link names no deputy or group ({ $code }). Please ask for a new QR code.
error-already-answered = You have answered this already. Thank you.
