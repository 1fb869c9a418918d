-- A file sent through the outbox (the monthly report's ledger and chart): made when the job
-- runs, kept with its outbox row, so what is sent is what the run made.

CREATE TABLE outbox_files (
    outbox_id BIGINT PRIMARY KEY REFERENCES outbox(id),
    name TEXT NOT NULL,
    bytes BYTEA NOT NULL
);
