CREATE TABLE `matches` (
	`rec_id` text NOT NULL,
	`target_index` integer NOT NULL,
	`candidate` text NOT NULL,
	`source` text NOT NULL,
	`candidate_id` text NOT NULL,
	`candidate_target` integer,
	`name` text NOT NULL,
	`score` real NOT NULL,
	`reasons` text NOT NULL,
	`datasets` text DEFAULT '[]' NOT NULL,
	`programs` text DEFAULT '[]' NOT NULL,
	`reference` text,
	`decision` text,
	`decided_by` text,
	`decided_at` text,
	`screened_at` text NOT NULL,
	PRIMARY KEY(`rec_id`, `target_index`, `candidate`)
);
--> statement-breakpoint
CREATE INDEX `matches_candidate` ON `matches` (`candidate_id`);--> statement-breakpoint
CREATE TABLE `target_parties` (
	`owner` text PRIMARY KEY NOT NULL,
	`rec_id` text NOT NULL,
	`reference` text NOT NULL,
	`name` text NOT NULL,
	`party` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `target_parties_rec` ON `target_parties` (`rec_id`);--> statement-breakpoint
ALTER TABLE `list_imports` ADD `rescreened_at` text;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `screened_at` text;--> statement-breakpoint
CREATE INDEX `recommendations_unscreened` ON `recommendations` (`seq`) WHERE "recommendations"."screened_at" IS NULL;