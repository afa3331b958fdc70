-- Semantic search (server/embed, docs/search.md): one embedding model per user and model name,
-- and one vector per email. `version` counts committed vector batches; each vector row records
-- the batch (`seq`) that wrote it, so the approximate index (a file next to the database) can
-- take in only what is newer than its own snapshot. `generation` changes when a model is
-- retrained (all its vectors are then rewritten and the index rebuilt).
CREATE TABLE embed_models (
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    model          TEXT    NOT NULL,
    dim            INTEGER NOT NULL,
    trained_emails INTEGER NOT NULL DEFAULT 0,
    data           BLOB,                       -- built-in model: vocabulary, idf, word vectors; NULL for remote ones
    generation     TEXT    NOT NULL,
    version        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT    NOT NULL,
    PRIMARY KEY (user_id, model)
);

CREATE TABLE email_vectors (
    email_id INTEGER PRIMARY KEY REFERENCES emails(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    model    TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    dim      INTEGER NOT NULL,
    vec      BLOB    NOT NULL                  -- dim float32, unit length (all zeros: nothing to go on)
);
CREATE INDEX email_vectors_user_seq ON email_vectors(user_id, model, seq);
