ALTER TABLE `attachments` ADD `cleaned` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `attachments` ADD `released_by` text;--> statement-breakpoint
ALTER TABLE `attachments` ADD `released_at` text;--> statement-breakpoint
UPDATE `attachments` SET `cleaned` = 1 WHERE `clean_key` IS NOT NULL OR `content_type` IN ('text/plain', 'text/csv');
