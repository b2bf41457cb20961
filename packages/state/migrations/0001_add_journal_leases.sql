ALTER TABLE "memgate"."journal_deliveries" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "memgate"."journal_deliveries" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "memgate"."journal_entries" ADD COLUMN "bytes" integer DEFAULT 0 NOT NULL;