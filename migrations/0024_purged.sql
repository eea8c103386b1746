ALTER TABLE `attachments` ADD `purged_at` text;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `purged_at` text;