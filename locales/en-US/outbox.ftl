### Delivery: what admins are told when a message cannot be delivered, and `minyi outbox`.

outbox-dead-admin = ⚠️ A message could not be delivered (outbox { $id }, { $channel } { $target }, { $key }): { $reason }. See `minyi outbox dead`; `minyi outbox retry { $id }` sends it again.
outbox-status = Outbox: { $pending } pending, { $sending } being sent, { $sent } sent, { $dead } dead.
outbox-no-dead = No dead letters.
outbox-dead-line = #{ $id } { $at } { $channel } { $target } { $key }: { $reason }
outbox-retried = { $count } dead letter(s) queued again.
