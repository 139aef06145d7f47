CREATE TABLE `news_stories` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`author` text NOT NULL,
	`status` text NOT NULL,
	`summary` text,
	`tags` text NOT NULL,
	`published_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `news_stories_status_published_idx` ON `news_stories` (`status`,`published_at`,`id`);