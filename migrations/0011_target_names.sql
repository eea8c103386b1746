DROP INDEX `recommendations_search`;--> statement-breakpoint
ALTER TABLE `recommendations` ADD `target_names` text;--> statement-breakpoint
CREATE INDEX `recommendations_search` ON `recommendations` (`target_name`,`target_name_latin`,`reference`,`target_names`);--> statement-breakpoint
UPDATE `recommendations` SET `target_names` = COALESCE(
  (SELECT group_concat(json_extract(value, '$.name') || COALESCE(char(10) || json_extract(value, '$.name_latin'), ''), char(10))
     FROM json_each(`record`, '$.targets')),
  json_extract(`record`, '$.target.name') || COALESCE(char(10) || json_extract(`record`, '$.target.name_latin'), '')
);
