-- The Telegram front end: dialogue steps per (chat, account), and the indexes its lists use.

CREATE TABLE dialogues (
    chat_id BIGINT NOT NULL,
    telegram_id BIGINT NOT NULL,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (chat_id, telegram_id)
);

-- /inbox: open requests to a deputy or to a group.
CREATE INDEX resident_requests_deputy ON resident_requests(deputy_id, state);
CREATE INDEX resident_requests_group ON resident_requests(group_id, state);
-- the suggestion adopted from a request (/show, the resident's answer)
CREATE INDEX suggestions_request ON suggestions(request_id);
