### 推送：消息无法送达时告知管理员的内容，以及 `minyi outbox` 的输出。

outbox-dead-admin = ⚠️ 有一条消息无法送达（发件箱 { $id }，{ $channel } { $target }，{ $key }）：{ $reason }。可用 `minyi outbox dead` 查看，用 `minyi outbox retry { $id }` 重新发送。
outbox-status = 发件箱：待发送 { $pending } 条，发送中 { $sending } 条，已送达 { $sent } 条，无法送达 { $dead } 条。
outbox-no-dead = 没有无法送达的消息。
outbox-dead-line = #{ $id } { $at } { $channel } { $target } { $key }：{ $reason }
outbox-retried = 已重新排队 { $count } 条无法送达的消息。
