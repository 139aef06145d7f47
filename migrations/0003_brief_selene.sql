CREATE TABLE `weather_views` (
	`city` text PRIMARY KEY NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`last_viewed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `weather_views_views_idx` ON `weather_views` (`views`);