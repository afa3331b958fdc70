-- Ingestion (range 010-019): the full-text index stops keeping its own copy of the text.
-- emails_fts becomes an external-content FTS5 table over the view emails_fts_source, which reads
-- the text from emails and attachments. Why: the copy (emails_fts_content) was about 30 % of the
-- database and of what an import writes. Search and chat keep querying emails_fts as before
-- (MATCH, bm25, snippet, highlight, rowid = emails.id).
-- Rows whose indexed text differs from the stored text (CJK runs spaced for the tokenizer, see
-- server/ingest/ftstext.h) keep their indexed form in emails_fts_cjk, so snippets and deletes see
-- exactly what was indexed. The triggers keep the index right when emails rows go away (a user
-- deleted: ON DELETE CASCADE) or their text changes; the import writer inserts index rows itself.
-- Applied also to stores created before it (Migrations applies every missing version).

CREATE TABLE emails_fts_cjk (
    email_id    INTEGER PRIMARY KEY REFERENCES emails(id) ON DELETE CASCADE,
    subject     TEXT NOT NULL,
    sender      TEXT NOT NULL,
    recipients  TEXT NOT NULL,
    body        TEXT NOT NULL,
    quoted      TEXT NOT NULL,
    attachments TEXT NOT NULL
);

-- The indexed text of each email; the import writer builds the same strings (emailwriter.cpp).
CREATE VIEW emails_fts_source AS
SELECT e.id AS id,
       COALESCE(c.subject, e.subject) AS subject,
       COALESCE(c.sender, CASE WHEN e.from_name = '' THEN e.from_addr ELSE e.from_name || ' ' || e.from_addr END) AS sender,
       COALESCE(c.recipients, CASE WHEN e.cc_addrs = '' THEN e.to_addrs ELSE e.to_addrs || ' ' || e.cc_addrs END) AS recipients,
       COALESCE(c.body, e.body_text) AS body,
       COALESCE(c.quoted, e.quoted_text) AS quoted,
       COALESCE(c.attachments,
                (SELECT group_concat(CASE WHEN a.text IS NULL OR a.text = '' THEN a.filename
                                          ELSE a.filename || char(10) || a.text END, char(10))
                 FROM attachments a WHERE a.email_id = e.id),
                '') AS attachments
FROM emails e LEFT JOIN emails_fts_cjk c ON c.email_id = e.id;

-- Existing stores: keep the exact indexed text of rows that differ from the stored text.
INSERT INTO emails_fts_cjk (email_id, subject, sender, recipients, body, quoted, attachments)
SELECT f.rowid, COALESCE(f.subject, ''), COALESCE(f.sender, ''), COALESCE(f.recipients, ''), COALESCE(f.body, ''),
       COALESCE(f.quoted, ''), COALESCE(f.attachments, '')
FROM emails_fts f JOIN emails_fts_source s ON s.id = f.rowid
WHERE f.subject IS NOT s.subject OR f.sender IS NOT s.sender OR f.recipients IS NOT s.recipients
   OR f.body IS NOT s.body OR f.quoted IS NOT s.quoted OR f.attachments IS NOT s.attachments;

DROP TABLE emails_fts;
CREATE VIRTUAL TABLE emails_fts USING fts5(
    subject, sender, recipients, body, quoted, attachments,
    content = 'emails_fts_source', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Bulk imports commit about 1,000 emails at a time: merging 8 segments per level instead of 4
-- does less rewriting while importing, for a few more segments to read per query.
INSERT INTO emails_fts (emails_fts, rank) VALUES ('automerge', 8);
INSERT INTO emails_fts (emails_fts) VALUES ('rebuild');

-- Only rows the index holds (emails_fts_docsize) are taken out: an external-content 'delete' of
-- a row never indexed would corrupt the index.
CREATE TRIGGER emails_fts_before_delete BEFORE DELETE ON emails
WHEN EXISTS (SELECT 1 FROM emails_fts_docsize WHERE id = old.id)
BEGIN
    INSERT INTO emails_fts (emails_fts, rowid, subject, sender, recipients, body, quoted, attachments)
    SELECT 'delete', id, subject, sender, recipients, body, quoted, attachments FROM emails_fts_source WHERE id = old.id;
END;

-- Nothing updates the stored text today; should something do it, the index follows (CJK rows
-- then lose their spacing, as the writer is not involved).
CREATE TRIGGER emails_fts_before_update BEFORE UPDATE OF subject, from_name, from_addr, to_addrs, cc_addrs, body_text, quoted_text ON emails
WHEN EXISTS (SELECT 1 FROM emails_fts_docsize WHERE id = old.id)
BEGIN
    INSERT INTO emails_fts (emails_fts, rowid, subject, sender, recipients, body, quoted, attachments)
    SELECT 'delete', id, subject, sender, recipients, body, quoted, attachments FROM emails_fts_source WHERE id = old.id;
    DELETE FROM emails_fts_cjk WHERE email_id = old.id;
END;

CREATE TRIGGER emails_fts_after_update AFTER UPDATE OF subject, from_name, from_addr, to_addrs, cc_addrs, body_text, quoted_text ON emails
WHEN NOT EXISTS (SELECT 1 FROM emails_fts_docsize WHERE id = new.id)
BEGIN
    INSERT INTO emails_fts (rowid, subject, sender, recipients, body, quoted, attachments)
    SELECT id, subject, sender, recipients, body, quoted, attachments FROM emails_fts_source WHERE id = new.id;
END;
