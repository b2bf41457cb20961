ALTER TABLE "memgate"."health_trends" ADD COLUMN "writer" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "memgate"."health_trends" DROP CONSTRAINT "health_trends_provider_hour_pk";--> statement-breakpoint
ALTER TABLE "memgate"."health_trends" ADD CONSTRAINT "health_trends_provider_hour_writer_pk" PRIMARY KEY("provider","hour","writer");
