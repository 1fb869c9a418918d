### 请求中所指对象不存在时的答复，以及邀请链接的问题。

error-unknown-suggestion = 没有您可以查看的建议 <b>{ $no }</b>。请核对编号（格式如 2026-0042）。
error-unknown-unit = 没有编码为 { $code } 的承办单位。
error-unknown-code = 没有编码为 { $code } 的代表小组、机构或承办单位。
error-not-a-deputy = 没有编码为 { $code } 的代表。
error-unknown-person = 您尚未登记在名册中。请向代表联络室索取邀请链接。
error-internal = 系统出现问题，本次操作未作任何修改。请稍后再试。

invite-unknown-person = 名册中没有编码为 { $code } 的人员。
invite-invalid = 该邀请链接无效：已被使用、已被新链接取代或已过期。请重新索取。
invite-not-your-role = 您的角色不能邀请他人：请联系联络站的工作人员或管理员。
invite-out-of-scope = 您不能邀请此人：对方不在您所在机构范围内。
invite-account-taken = 该 Telegram 账号已绑定名册中的其他人员。
invite-repeated = 这条 /invite 已经答复过，链接在上面的消息中。如未看到，请重新发送 /invite 获取新链接。
error-unknown-request = 没有您可处理的群众诉求 <b>{ $no }</b>。请核对编号（形如 R-2026-0007），或发送 /inbox 查看。
error-request-handled = 诉求 <b>{ $no }</b> 已被采纳或婉拒。
error-unknown-target = 该链接指向的代表或代表小组不存在（{ $code }），请索取新的二维码。
error-already-answered = 您已答复过，谢谢！
