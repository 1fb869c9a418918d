-- The scheduler: reminders already sent, so an item is reminded at most once a day per
-- audience (a manual run, or a second run on the same day, sends it again to nobody).

CREATE TABLE reminders (
    suggestion_id INTEGER NOT NULL REFERENCES suggestions(id),
    key TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (suggestion_id, key, day)
);
