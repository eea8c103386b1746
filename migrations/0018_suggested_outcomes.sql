CREATE TABLE `suggested_outcomes` (
	`filing_id` text NOT NULL,
	`target_index` integer NOT NULL,
	`entity_id` text NOT NULL,
	`rec_id` text NOT NULL,
	`programme` text NOT NULL,
	`name` text NOT NULL,
	`score` real NOT NULL,
	`reasons` text NOT NULL,
	`datasets` text NOT NULL,
	`programs` text NOT NULL,
	`suggested_at` text NOT NULL,
	PRIMARY KEY(`filing_id`, `target_index`, `entity_id`)
);
--> statement-breakpoint
CREATE INDEX `suggested_outcomes_rec` ON `suggested_outcomes` (`rec_id`);