-- The full-text row of a recommendation is found by its seq as the row id: deleting it by the
-- unindexed rec_seq column read the whole index (a rescreening at 50,000 rows took ~12 ms of
-- the database's time for it alone). One row per recommendation, the latest if there were two.
CREATE VIRTUAL TABLE `search_index_by_seq` USING fts5(
	`rec_seq` UNINDEXED,
	`names`,
	`reference`,
	`summary`,
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `search_index_by_seq` (rowid, rec_seq, names, reference, summary)
SELECT rec_seq, rec_seq, names, reference, summary FROM `search_index`
WHERE rowid IN (SELECT max(rowid) FROM `search_index` GROUP BY rec_seq);
--> statement-breakpoint
DROP TABLE `search_index`;
--> statement-breakpoint
ALTER TABLE `search_index_by_seq` RENAME TO `search_index`;
