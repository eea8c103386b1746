CREATE TABLE `inbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`staff_id` text NOT NULL,
	`rec_id` text NOT NULL,
	`kind` text NOT NULL,
	`event_seq` integer NOT NULL,
	`at` text NOT NULL,
	`read_at` text,
	`mailed_at` text,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_once` ON `inbox` (`staff_id`,`rec_id`,`kind`,`event_seq`);--> statement-breakpoint
CREATE INDEX `inbox_unread` ON `inbox` (`staff_id`,`rec_id`) WHERE "inbox"."read_at" IS NULL;--> statement-breakpoint
CREATE INDEX `inbox_unmailed` ON `inbox` (`staff_id`) WHERE "inbox"."mailed_at" IS NULL AND "inbox"."read_at" IS NULL;--> statement-breakpoint
CREATE TABLE `mail_log` (
	`recipient` text PRIMARY KEY NOT NULL,
	`last_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `submitter_notices` (
	`rec_id` text PRIMARY KEY NOT NULL,
	`since` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `staff` ADD `locale` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `staff` ADD `mail` integer DEFAULT true NOT NULL;