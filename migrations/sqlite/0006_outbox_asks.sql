-- What a queued message asks of its reader (src/domain/ask.rs): `review:2026-0042`,
-- `request:R-2026-0007`, …; each channel renders it as its own buttons. Until now the delivery
-- chose buttons by the message's locale key.
ALTER TABLE outbox ADD COLUMN ask TEXT;

-- Messages still waiting at the upgrade keep their buttons: the ask their key stood for.
UPDATE outbox SET ask = CASE
    WHEN key IN ('notice-filed-leader', 'notice-resubmitted-leader', 'notice-remind-review')
        THEN 'review:' || (SELECT json_extract(a.value, '$[1]') FROM json_each(outbox.args) a WHERE json_extract(a.value, '$[0]') = 'no')
    WHEN key = 'notice-remind-assign'
        OR (key = 'notice-accepted-clerk' AND COALESCE((SELECT json_extract(a.value, '$[1]') FROM json_each(outbox.args) a WHERE json_extract(a.value, '$[0]') = 'level'), '') <> 'higher')
        THEN 'assign:' || (SELECT json_extract(a.value, '$[1]') FROM json_each(outbox.args) a WHERE json_extract(a.value, '$[0]') = 'no')
    WHEN key IN ('notice-replied-rate', 'notice-remind-rate')
        THEN 'rate:' || (SELECT json_extract(a.value, '$[1]') FROM json_each(outbox.args) a WHERE json_extract(a.value, '$[0]') = 'no')
    WHEN key = 'notice-resident-closed'
        THEN 'solved:' || (SELECT json_extract(a.value, '$[1]') FROM json_each(outbox.args) a WHERE json_extract(a.value, '$[0]') = 'no')
    WHEN key = 'notice-request-new'
        THEN 'request:' || (SELECT json_extract(a.value, '$[1]') FROM json_each(outbox.args) a WHERE json_extract(a.value, '$[0]') = 'request')
END
WHERE state IN ('pending', 'sending') AND channel = 'telegram';
