-- minyi schema, SQLite. Times are integer milliseconds since the Unix epoch (UTC) on both
-- backends, so the same comparisons and ranges work everywhere; local dates are computed in
-- Rust with the configured time zone.

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES orgs(id)
);

CREATE TABLE deputy_groups (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id)
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id)
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- the spec of roles and scopes as imported ("deputy;leader" / "G01"), to tell a changed row
    roles_spec TEXT NOT NULL,
    scope_spec TEXT NOT NULL,
    telegram_id INTEGER UNIQUE,
    lang TEXT
);

CREATE TABLE person_roles (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    org_id INTEGER REFERENCES orgs(id),
    group_id INTEGER REFERENCES deputy_groups(id),
    unit_id INTEGER REFERENCES units(id),
    CHECK ((org_id IS NOT NULL) + (group_id IS NOT NULL) + (unit_id IS NOT NULL) = 1)
);
CREATE INDEX person_roles_person ON person_roles(person_id);
CREATE INDEX person_roles_group ON person_roles(group_id, role);
CREATE INDEX person_roles_org ON person_roles(org_id, role);
CREATE INDEX person_roles_unit ON person_roles(unit_id, role);

-- Telegram accounts seen by the bot: language choice of anyone, roster person or resident.
CREATE TABLE accounts (
    telegram_id INTEGER PRIMARY KEY,
    lang TEXT,
    seen_at INTEGER NOT NULL
);

CREATE TABLE chat_bindings (
    chat_id INTEGER PRIMARY KEY,
    org_id INTEGER REFERENCES orgs(id),
    group_id INTEGER REFERENCES deputy_groups(id),
    unit_id INTEGER REFERENCES units(id),
    bound_by INTEGER REFERENCES people(id),
    bound_at INTEGER NOT NULL,
    CHECK ((org_id IS NOT NULL) + (group_id IS NOT NULL) + (unit_id IS NOT NULL) = 1)
);
CREATE INDEX chat_bindings_group ON chat_bindings(group_id);
CREATE INDEX chat_bindings_org ON chat_bindings(org_id);
CREATE INDEX chat_bindings_unit ON chat_bindings(unit_id);

CREATE TABLE invites (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by INTEGER
);

-- Per-year sequences for suggestion and resident numbers.
CREATE TABLE counters (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (kind, year)
);

CREATE TABLE resident_requests (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    telegram_id INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,
    deputy_id INTEGER REFERENCES people(id),
    group_id INTEGER REFERENCES deputy_groups(id),
    text TEXT NOT NULL,
    photo_file_id TEXT,
    latitude REAL,
    longitude REAL,
    state TEXT NOT NULL,
    decline_reason TEXT,
    solved INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (year, seq)
);

CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    deputy_id INTEGER NOT NULL REFERENCES people(id),
    group_id INTEGER NOT NULL REFERENCES deputy_groups(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL,
    state TEXT NOT NULL,
    level TEXT,
    deadline INTEGER,
    key_flag INTEGER NOT NULL DEFAULT 0,
    supervised INTEGER NOT NULL DEFAULT 0,
    unsatisfied_count INTEGER NOT NULL DEFAULT 0,
    rating TEXT,
    outcome TEXT,
    merged_into_id INTEGER REFERENCES suggestions(id),
    request_id INTEGER REFERENCES resident_requests(id),
    photo_file_id TEXT,
    latitude REAL,
    longitude REAL,
    filed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX suggestions_group_filed ON suggestions(group_id, filed_at);
CREATE INDEX suggestions_deputy_filed ON suggestions(deputy_id, filed_at);
CREATE INDEX suggestions_state_deadline ON suggestions(state, deadline);

CREATE TABLE suggestion_units (
    suggestion_id INTEGER NOT NULL REFERENCES suggestions(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    lead INTEGER NOT NULL,
    PRIMARY KEY (suggestion_id, unit_id)
);
CREATE INDEX suggestion_units_unit ON suggestion_units(unit_id);

-- The timeline and audit log: append only (the triggers below refuse any change).
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    suggestion_id INTEGER NOT NULL REFERENCES suggestions(id),
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES people(id),
    kind TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    text TEXT,
    update_id INTEGER
);
CREATE INDEX events_suggestion ON events(suggestion_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Every push, written in the same transaction as the change that causes it.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    lang TEXT NOT NULL,
    key TEXT NOT NULL,
    args TEXT NOT NULL,
    suggestion_id INTEGER REFERENCES suggestions(id),
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    -- a text over Telegram's limit goes out in parts; how many reached the chat
    parts_sent INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER,
    -- the worker holding the row: its results count only while it still holds it
    claimed_by INTEGER,
    sent_at INTEGER,
    message_id INTEGER,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(state, due_at);
CREATE INDEX outbox_target ON outbox(channel, target, id);
-- the claim looks only at undelivered rows of a chat, however long its history
CREATE INDEX outbox_open ON outbox(channel, target, id) WHERE state IN ('pending', 'sending');

CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    reason TEXT NOT NULL,
    died_at INTEGER NOT NULL
);

-- One row per (job, scheduled fire time): a run is claimed by inserting it.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    fire_time INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    PRIMARY KEY (job, fire_time)
);

-- Telegram update ids already applied, written with the change they caused.
CREATE TABLE handled_updates (
    update_id INTEGER PRIMARY KEY,
    handled_at INTEGER NOT NULL
);
