CREATE INDEX `queue_overdue_step` ON `queue` (`overdue`,`step`);--> statement-breakpoint
CREATE INDEX `recommendations_search` ON `recommendations` (`target_name`,`target_name_latin`,`reference`);