-- The year's view (PRODUCT.md §10).

-- 接待日: a deputy's attendance at their station on a reception day, once a day (a local
-- date, YYYY-MM-DD), recorded by the deputy on the day or by a clerk from the sign-in sheet.
CREATE TABLE receptions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    day TEXT NOT NULL,
    residents INTEGER,
    note TEXT NOT NULL,
    recorded_by INTEGER REFERENCES people(id),
    recorded_at INTEGER NOT NULL,
    UNIQUE (person_id, day)
);
CREATE INDEX receptions_day ON receptions (day);

-- 述职: a deputy's report to their voters, recorded by a clerk: when, where, how many voters
-- came, and their evaluation if one was taken (民主测评).
CREATE TABLE voter_reports (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    day TEXT NOT NULL,
    place TEXT NOT NULL,
    voters INTEGER NOT NULL,
    evaluation TEXT,
    recorded_by INTEGER REFERENCES people(id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX voter_reports_person ON voter_reports (person_id, day);
