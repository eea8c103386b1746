CREATE TABLE `drafts` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`sealed` text NOT NULL,
	`saved_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `drafts_expires` ON `drafts` (`expires_at`);