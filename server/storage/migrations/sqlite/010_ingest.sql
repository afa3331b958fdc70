-- Ingestion: thread lookup tables and import checkpoints (range 010-019).

-- Every Message-ID seen (own or referenced) maps to the thread it belongs to, per user, so that
-- replies arriving before or after their parents join the same thread (JWZ-style).
CREATE TABLE thread_ids (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    message_id TEXT    NOT NULL,
    thread_id  TEXT    NOT NULL,
    PRIMARY KEY (user_id, message_id)
) WITHOUT ROWID;
CREATE INDEX thread_ids_thread ON thread_ids(user_id, thread_id);

-- Normalised subject -> latest thread with it: the fallback for replies without references.
CREATE TABLE thread_subjects (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subject   TEXT    NOT NULL,
    thread_id TEXT    NOT NULL,
    PRIMARY KEY (user_id, subject)
) WITHOUT ROWID;
CREATE INDEX thread_subjects_thread ON thread_subjects(user_id, thread_id);

-- Where an import stands, committed in the same transaction as the emails before it.
-- sources: the paths given, one per line; item: index in the expanded file list; offset: byte
-- offset in that file where the next message starts (also mirrored in uploads.resume_offset).
CREATE TABLE import_checkpoints (
    upload_id  TEXT    PRIMARY KEY REFERENCES uploads(id) ON DELETE CASCADE,
    sources    TEXT    NOT NULL,
    item       INTEGER NOT NULL DEFAULT 0,
    offset     INTEGER NOT NULL DEFAULT 0,
    warnings   INTEGER NOT NULL DEFAULT 0
);
