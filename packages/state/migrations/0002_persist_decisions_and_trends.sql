ALTER TABLE "memgate"."failover_decisions" ADD COLUMN "tried" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "memgate"."failover_decisions" ADD COLUMN "decision" jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "memgate"."health_trends" ADD COLUMN "successes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "memgate"."health_trends" ADD COLUMN "uptime" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "memgate"."health_trends" ADD COLUMN "score" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "failover_decisions_at_idx" ON "memgate"."failover_decisions" USING btree ("at");--> statement-breakpoint
CREATE INDEX "failover_decisions_tried_idx" ON "memgate"."failover_decisions" USING gin ("tried");--> statement-breakpoint
ALTER TABLE "memgate"."health_trends" ADD CONSTRAINT "health_trends_latency_check" CHECK (("memgate"."health_trends"."latency_p_50_ms" is null) = ("memgate"."health_trends"."latency_p_95_ms" is null) and ("memgate"."health_trends"."latency_p_50_ms" is null) = ("memgate"."health_trends"."latency_p_99_ms" is null));