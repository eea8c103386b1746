CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text,
	`last_used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`rec_seq` integer,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`clean_key` text,
	`original_key` text NOT NULL,
	`metadata_found` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`rec_seq`) REFERENCES `recommendations`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachments_rec` ON `attachments` (`rec_seq`);--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `queue` (
	`rec_seq` integer PRIMARY KEY NOT NULL,
	`step` text NOT NULL,
	`assignee` text,
	`overdue` integer DEFAULT false NOT NULL,
	`due_at` text,
	`updated_at` text NOT NULL,
	`event_seq` integer NOT NULL,
	FOREIGN KEY (`rec_seq`) REFERENCES `recommendations`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `queue_updated` ON `queue` (`updated_at`);--> statement-breakpoint
CREATE INDEX `queue_step_updated` ON `queue` (`step`,`updated_at`);--> statement-breakpoint
CREATE INDEX `queue_assignee_updated` ON `queue` (`assignee`,`updated_at`);--> statement-breakpoint
CREATE TABLE `recommendation_categories` (
	`category` text NOT NULL,
	`rec_seq` integer NOT NULL,
	PRIMARY KEY(`category`, `rec_seq`),
	FOREIGN KEY (`rec_seq`) REFERENCES `recommendations`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `recommendation_jurisdictions` (
	`jurisdiction` text NOT NULL,
	`rec_seq` integer NOT NULL,
	PRIMARY KEY(`jurisdiction`, `rec_seq`),
	FOREIGN KEY (`rec_seq`) REFERENCES `recommendations`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `recommendations` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`reference` text NOT NULL,
	`language` text NOT NULL,
	`created_at` text NOT NULL,
	`receipt_hash` text NOT NULL,
	`target_kind` text NOT NULL,
	`target_name` text NOT NULL,
	`target_name_latin` text,
	`submitter_country` text NOT NULL,
	`conduct_country` text NOT NULL,
	`record` text NOT NULL,
	`sealed` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recommendations_id_unique` ON `recommendations` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `recommendations_reference_unique` ON `recommendations` (`reference`);--> statement-breakpoint
CREATE UNIQUE INDEX `recommendations_receipt_hash_unique` ON `recommendations` (`receipt_hash`);--> statement-breakpoint
CREATE INDEX `recommendations_conduct_country` ON `recommendations` (`conduct_country`,`seq`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_staff` ON `sessions` (`staff_id`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`totp_secret` text,
	`created_at` text NOT NULL,
	`disabled_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_email_unique` ON `staff` (`email`);