DROP INDEX `filings_rec`;--> statement-breakpoint
CREATE INDEX `filings_rec_answer` ON `filings` (`rec_id`,`programme`,`outcome`);--> statement-breakpoint
CREATE INDEX `filings_days` ON `filings` (`outcome`,`programme`,julianday("outcome_on") - julianday("filed_on")) WHERE "filings"."outcome_on" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `filings_days_all` ON `filings` (`outcome`,julianday("outcome_on") - julianday("filed_on")) WHERE "filings"."outcome_on" IS NOT NULL;--> statement-breakpoint
DROP INDEX `recommendations_search`;--> statement-breakpoint
CREATE INDEX `recommendations_names` ON `recommendations` (`target_names`);