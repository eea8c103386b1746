CREATE TABLE `list_changes` (
	`import_id` text NOT NULL,
	`entity_id` text NOT NULL,
	`change` text NOT NULL,
	`caption` text NOT NULL,
	PRIMARY KEY(`import_id`, `entity_id`)
);
--> statement-breakpoint
CREATE TABLE `list_entities` (
	`id` text PRIMARY KEY NOT NULL,
	`schema` text NOT NULL,
	`caption` text NOT NULL,
	`datasets` text NOT NULL,
	`party` text NOT NULL,
	`programs` text DEFAULT '[]' NOT NULL,
	`import_id` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `list_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`loaded` integer,
	`added` integer,
	`updated` integer,
	`removed` integer
);
--> statement-breakpoint
CREATE TABLE `list_staging` (
	`id` text PRIMARY KEY NOT NULL,
	`schema` text NOT NULL,
	`caption` text NOT NULL,
	`datasets` text NOT NULL,
	`party` text NOT NULL,
	`programs` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `list_staging_keys` (
	`key` text NOT NULL,
	`owner` text NOT NULL,
	PRIMARY KEY(`key`, `owner`)
);
--> statement-breakpoint
CREATE TABLE `name_keys` (
	`key` text NOT NULL,
	`owner` text NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`key`, `owner`)
);
--> statement-breakpoint
CREATE INDEX `name_keys_owner` ON `name_keys` (`owner`);