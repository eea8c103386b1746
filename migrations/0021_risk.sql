ALTER TABLE `recommendations` ADD `risk` text;--> statement-breakpoint
UPDATE `recommendations` SET `risk` = json_extract(`record`, '$.safety.risk_level');
