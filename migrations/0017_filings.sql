CREATE TABLE `filings` (
	`id` text PRIMARY KEY NOT NULL,
	`rec_id` text NOT NULL,
	`programme` text NOT NULL,
	`filed_on` text NOT NULL,
	`channel` text NOT NULL,
	`addressee` text NOT NULL,
	`government_reference` text,
	`note` text,
	`packet_sha256` text,
	`filed_by` text NOT NULL,
	`outcome` text,
	`outcome_on` text,
	`outcome_targets` text,
	`list_reference` text,
	`source_url` text,
	`outcome_by` text,
	`follow_up_due` integer DEFAULT 0 NOT NULL,
	`event_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `filings_rec` ON `filings` (`rec_id`);--> statement-breakpoint
CREATE INDEX `filings_programme_outcome` ON `filings` (`programme`,`outcome`);--> statement-breakpoint
ALTER TABLE `queue` ADD `follow_up` integer DEFAULT 0 NOT NULL;