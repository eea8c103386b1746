-- Every target's names as a trigram index (SQLite FTS5), so the queue's search finds any part of
-- a name of three characters or more without reading every row: the names scanned once for the
-- page and once for the counts were most of a search's time at 50,000 recommendations. It holds
-- no copy of the names (its content is the recommendations table's) and triggers keep it in step
-- with every write, the intake's, the case file's corrections and the purges alike.
CREATE VIRTUAL TABLE `recommendation_names` USING fts5(
	`target_names`,
	content = 'recommendations',
	content_rowid = 'seq',
	tokenize = 'trigram'
);
--> statement-breakpoint
INSERT INTO `recommendation_names` (`recommendation_names`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `recommendation_names_insert` AFTER INSERT ON `recommendations` BEGIN
	INSERT INTO `recommendation_names` (rowid, `target_names`) VALUES (new.seq, new.target_names);
END;
--> statement-breakpoint
CREATE TRIGGER `recommendation_names_update` AFTER UPDATE OF `target_names` ON `recommendations` BEGIN
	INSERT INTO `recommendation_names` (`recommendation_names`, rowid, `target_names`) VALUES ('delete', old.seq, old.target_names);
	INSERT INTO `recommendation_names` (rowid, `target_names`) VALUES (new.seq, new.target_names);
END;
--> statement-breakpoint
CREATE TRIGGER `recommendation_names_delete` AFTER DELETE ON `recommendations` BEGIN
	INSERT INTO `recommendation_names` (`recommendation_names`, rowid, `target_names`) VALUES ('delete', old.seq, old.target_names);
END;
