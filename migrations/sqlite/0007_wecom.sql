-- WeCom (企业微信 / 政务微信): a person's userid in the corporation's directory. The corporation
-- vouches for it, so no invite is needed. WeCom ignores case when it checks userids for
-- uniqueness, so minyi does too; the userid is kept as written, for sending.
ALTER TABLE people ADD COLUMN wecom_userid TEXT;
CREATE UNIQUE INDEX people_wecom_userid ON people (lower(wecom_userid));

-- The channel a person prefers for their pushes (/channel): NULL means every channel they have.
ALTER TABLE people ADD COLUMN channel TEXT CHECK (channel IN ('telegram', 'wecom'));

-- What a WeCom member chose and is in the middle of, as `accounts` and `dialogues` hold it for
-- a Telegram account. The app's chat with a member is private, so one open dialogue a person.
CREATE TABLE wecom_accounts (
    person_id INTEGER PRIMARY KEY REFERENCES people(id),
    lang TEXT,
    dialogue TEXT,
    dialogue_at INTEGER,
    seen_at INTEGER NOT NULL
);
