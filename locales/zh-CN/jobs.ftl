### 定时任务的推送（src/jobs）。存储层为关于建议的提醒加上 $no 和 $title；$colour 为机器词
### （yellow、red）；$days 为剩余或逾期的整天数。

notice-colour-mark = { $colour ->
        [red] 🔴 已逾期
       *[other] 🟡 即将到期
    }

notice-remind-review = { notice-colour-mark }：建议 <b>{ $no }</b>“{ $title }”等待您初审，期限 { $deadline }。
notice-remind-assign = { notice-colour-mark }：建议 <b>{ $no }</b>“{ $title }”等待交办承办单位，期限 { $deadline }。
notice-remind-unit = { notice-colour-mark }：贵单位对建议 <b>{ $no }</b>“{ $title }”的答复期限为 { $deadline }，请用 /reply { $no } 答复。
notice-remind-co-unit = { notice-colour-mark }：贵单位协办的建议 <b>{ $no }</b>「{ $title }」答复期限为 { $deadline }，请用 /progress { $no } 反馈进展。
notice-remind-supervise = { notice-colour-mark }（督办）：建议 <b>{ $no }</b>“{ $title }”当前环节期限 { $deadline }。
notice-remind-chair = 🔴 已逾期（督办）：建议 <b>{ $no }</b>“{ $title }”已超过期限 { $deadline }。
notice-remind-rate = 提醒：请对建议 <b>{ $no }</b>“{ $title }”的答复作出评价。评价期结束仍未评价的，将按未评价办结。
notice-quota = { $name }代表，本月（{ $month }）您已提交 { $filed } 件建议，每月应提交 { $quota } 件。发送 /suggest 提交建议。
notice-reception-deputy = { $name }代表，明天（{ $date }）是联络站接待选民日。
notice-reception-group = 明天（{ $date }）是{ $group }的接待选民日。

## daily_report：$body 为下列各行

report-daily-group =
    <b>{ $date } 履职日报 — { $group }</b>
    { $body }
report-daily-org =
    <b>{ $date } 履职日报 — { $org }</b>，各代表小组按本月建议数排名：
    { $body }
report-daily-filed = 当日提交建议：{ $yesterday } 件；本月：{ $month } 件。
report-daily-deputy = · { $name }：本月 { $month } 件（当日 { $yesterday } 件）
report-daily-without = 本月尚未提交：{ $names }
report-daily-reception = 接待日到岗 { $count }/{ $of } 名代表：{ $names }
report-daily-received-residents = { $name }（接待 { $n } 人次）
report-daily-reception-absent = 未登记到岗：{ $names }
report-daily-reception-org = 接待日到岗：{ $count }/{ $of } 名代表。
report-daily-open = 在办：🟢 { $green } 🟡 { $yellow } 🔴 { $red }；待评价：{ $waiting }
report-daily-rank = { $rank }. { $group }：本月 { $month } 件（当日 { $yesterday } 件），{ $without } 名代表尚未提交。{ $open }
report-daily-red-head = 🔴 超期事项（{ $count } 件），办理前每日列出：
report-daily-red-item = · { $no }「{ $title }」— { $state }，期限 { $deadline }
report-daily-red-item-in = · { $group }：{ $no }「{ $title }」— { $state }，期限 { $deadline }
report-daily-red-more = · 另有 { $count } 件

## monthly_report：$body 为报告正文；台账和图表随后以文件发送

report-monthly = { $body }
