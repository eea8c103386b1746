DROP INDEX `filings_rec`;--> statement-breakpoint
CREATE INDEX `filings_rec_answer` ON `filings` (`rec_id`,`programme`,`outcome`);--> statement-breakpoint
CREATE INDEX `filings_designated` ON `filings` (`outcome`,`programme`,`filed_on`,`outcome_on`);--> statement-breakpoint
DROP INDEX `recommendations_search`;--> statement-breakpoint
CREATE INDEX `recommendations_names` ON `recommendations` (`target_names`);