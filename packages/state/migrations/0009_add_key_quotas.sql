CREATE TABLE "memgate"."key_quota_counters" (
	"key_id" text NOT NULL,
	"day" date NOT NULL,
	"memories_written" integer NOT NULL,
	CONSTRAINT "key_quota_counters_day_key_id_pk" PRIMARY KEY("day","key_id")
);
--> statement-breakpoint
ALTER TABLE "memgate"."api_keys" ADD COLUMN "quota" jsonb;