-- The board's one-time sign-in links (/web): only the token's hash is kept; a link works once,
-- until it expires (10 minutes).
CREATE TABLE web_links (
    token_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

-- Signed-in sessions: only the cookie's hash is kept, with the form token (CSRF) of the
-- session; signing out deletes the row, and a session past its end is not one.
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
