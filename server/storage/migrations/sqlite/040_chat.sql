-- Chat: conversations and their turns with the sources each answer cited, per user.
-- A conversation's public id is unique per user only (clients may choose ids such as "conv_123"),
-- so the same id used by two users names two different conversations and never leaks the other.

CREATE TABLE chat_conversations (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    public_id  TEXT    NOT NULL,                   -- API conversation_id
    title      TEXT    NOT NULL DEFAULT '',        -- first question, shortened
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (user_id, public_id)
);
CREATE INDEX chat_conversations_user ON chat_conversations(user_id, updated_at);

CREATE TABLE chat_turns (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,              -- 1, 2, ... within the conversation
    request_id      TEXT,
    question        TEXT    NOT NULL,
    answer          TEXT    NOT NULL DEFAULT '',   -- as streamed; partial when failed or cancelled
    status          TEXT    NOT NULL,              -- complete | failed | cancelled
    error_code      TEXT,
    provider        TEXT    NOT NULL,              -- extractive | openai
    retrieval_query TEXT,                          -- the query searched (follow-ups resolved)
    created_at      TEXT    NOT NULL,
    UNIQUE (conversation_id, seq)
);

-- A snapshot of each cited email, so a conversation still reads right if the email goes away.
CREATE TABLE chat_turn_sources (
    turn_id   INTEGER NOT NULL REFERENCES chat_turns(id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,                    -- the [n] in the answer
    email_id  INTEGER NOT NULL,                    -- emails.id (not a foreign key: see above)
    relevance REAL    NOT NULL,
    subject   TEXT    NOT NULL DEFAULT '',
    sender    TEXT    NOT NULL DEFAULT '',
    date_utc  INTEGER,
    passage   TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (turn_id, number)
);
CREATE INDEX chat_turn_sources_email ON chat_turn_sources(email_id);
