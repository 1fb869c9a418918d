-- Reports and the ledger: whether the first reply came in time, and the indexes the monthly
-- statistics and the ledger use.

-- NULL until the suggestion's first reply; then 1 if that reply came at or before the deadline
-- then in force (the handling deadline, extensions included), else 0. Written by the reply's
-- own transaction (write_suggestion), never changed afterwards.
ALTER TABLE suggestions ADD COLUMN replied_on_time INTEGER;

-- The whole deployment's suggestions filed in a period (the per-group index serves an org).
CREATE INDEX suggestions_filed ON suggestions(filed_at);
-- "has an assigned / replied event", the closing event's time.
CREATE INDEX events_suggestion_kind ON events(suggestion_id, kind);
-- The org subtree's recursive step.
CREATE INDEX orgs_parent ON orgs(parent_id);
