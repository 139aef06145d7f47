CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`avatar_url` text,
	`bio` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "users_email_format" CHECK("users"."email" LIKE '%_@_%'),
	CONSTRAINT "users_name_not_blank" CHECK(length(trim("users"."name")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_created_at_id_idx` ON `users` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `articles` (
	`id` text PRIMARY KEY NOT NULL,
	`author_id` text NOT NULL,
	`title` text NOT NULL,
	`slug` text NOT NULL,
	`body` text NOT NULL,
	`tags` text NOT NULL,
	`published_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "articles_title_not_blank" CHECK(length(trim("articles"."title")) > 0),
	CONSTRAINT "articles_slug_format" CHECK("articles"."slug" NOT GLOB '*[^a-z0-9-]*' AND length("articles"."slug") > 0),
	CONSTRAINT "articles_tags_array" CHECK(json_valid("articles"."tags") AND json_type("articles"."tags") = 'array')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `articles_slug_unique` ON `articles` (`slug`);--> statement-breakpoint
CREATE INDEX `articles_author_id_idx` ON `articles` (`author_id`);--> statement-breakpoint
CREATE INDEX `articles_published_at_id_idx` ON `articles` (`published_at`,`id`);--> statement-breakpoint
CREATE INDEX `articles_created_at_id_idx` ON `articles` (`created_at`,`id`);