-- Search (range 030-039): document counts per indexed word, read by pseudo-relevance feedback
-- (server/search/feedback.cpp) to weigh expansion terms. A view over emails_fts; stores nothing.
CREATE VIRTUAL TABLE emails_fts_vocab USING fts5vocab(emails_fts, 'row');
