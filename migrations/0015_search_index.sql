-- The queue's full-text search (SQLite FTS5): every name and alias of every target, as written
-- and transliterated to Latin letters, the reference, and the summary. Kept by screening, which
-- runs after every intake and correction; rows not screened yet are found by the plain search.
CREATE VIRTUAL TABLE `search_index` USING fts5(
	`rec_seq` UNINDEXED,
	`names`,
	`reference`,
	`summary`,
	tokenize = 'unicode61 remove_diacritics 2'
);
