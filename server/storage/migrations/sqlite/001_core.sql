-- Core schema: users, uploads, emails, attachments and the full-text index.
-- Numbering: 001-009 core (storage), 010-019 ingestion, 020-029 server/auth, 030-039 search,
-- 040-049 chat. Each file is applied in one transaction together with its schema_version row.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL
);

CREATE TABLE uploads (
    id                TEXT    PRIMARY KEY,              -- API upload_id, "upload_" + 16 hex digits
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    filename          TEXT    NOT NULL,
    format            TEXT,                             -- mbox | maildir | eml, NULL until detected
    source_path       TEXT,                             -- where the server keeps the bytes
    size_bytes        INTEGER NOT NULL DEFAULT 0,
    sha256            TEXT,
    status            TEXT    NOT NULL DEFAULT 'queued', -- queued|receiving|processing|completed|failed|cancelled
    current_operation TEXT,
    total_emails      INTEGER NOT NULL DEFAULT 0,
    emails_processed  INTEGER NOT NULL DEFAULT 0,
    emails_imported   INTEGER NOT NULL DEFAULT 0,
    duplicates        INTEGER NOT NULL DEFAULT 0,
    failures          INTEGER NOT NULL DEFAULT 0,
    resume_offset     INTEGER NOT NULL DEFAULT 0,       -- checkpoint committed with the emails before it
    error             TEXT,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX uploads_user ON uploads(user_id, created_at);

CREATE TABLE upload_errors (
    id        INTEGER PRIMARY KEY,
    upload_id TEXT    NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    position  TEXT,                                     -- e.g. "message 17 at byte 40211" or a file name
    reason    TEXT    NOT NULL
);
CREATE INDEX upload_errors_upload ON upload_errors(upload_id);

CREATE TABLE emails (
    id               INTEGER PRIMARY KEY,               -- API email_id is "email_" || id
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    upload_id        TEXT    REFERENCES uploads(id) ON DELETE SET NULL,
    message_id       TEXT,                              -- without angle brackets; NULL when absent
    dedup_key        TEXT    NOT NULL,                  -- message_id, or "sha256:" + content hash without one
    content_hash     TEXT    NOT NULL,                  -- sha256 of the raw message, hex
    thread_id        TEXT    NOT NULL,
    in_reply_to      TEXT,
    refs             TEXT,                              -- References, space separated, no angle brackets
    subject          TEXT    NOT NULL DEFAULT '',
    from_name        TEXT    NOT NULL DEFAULT '',
    from_addr        TEXT    NOT NULL DEFAULT '',
    to_addrs         TEXT    NOT NULL DEFAULT '',       -- "Name <addr>, ..." decoded
    cc_addrs         TEXT    NOT NULL DEFAULT '',
    date_utc         INTEGER,                           -- seconds since the epoch, UTC
    date_offset      INTEGER,                           -- the Date header's offset, minutes east of UTC
    body_text        TEXT    NOT NULL DEFAULT '',       -- new text: quoted history and signature removed
    quoted_text      TEXT    NOT NULL DEFAULT '',       -- quoted reply history and signature
    body_from_html   INTEGER NOT NULL DEFAULT 0,        -- 1 when the text was rendered from an HTML-only body
    attachment_count INTEGER NOT NULL DEFAULT 0,
    size_bytes       INTEGER NOT NULL,
    raw_zstd         BLOB    NOT NULL,                  -- the original message, zstd-compressed, byte for byte
    UNIQUE (user_id, dedup_key)
);
CREATE INDEX emails_user_date ON emails(user_id, date_utc);
CREATE INDEX emails_thread ON emails(user_id, thread_id);
CREATE INDEX emails_upload ON emails(upload_id);

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    email_id   INTEGER NOT NULL REFERENCES emails(id) ON DELETE CASCADE,
    filename   TEXT    NOT NULL DEFAULT '',
    mime_type  TEXT    NOT NULL DEFAULT '',
    size_bytes INTEGER NOT NULL DEFAULT 0,
    text       TEXT                                     -- extracted text for text parts, else NULL
);
CREATE INDEX attachments_email ON attachments(email_id);

-- rowid = emails.id. Written in the same transaction as the emails row.
CREATE VIRTUAL TABLE emails_fts USING fts5(
    subject, sender, recipients, body, quoted, attachments,
    tokenize = 'unicode61 remove_diacritics 2'
);
