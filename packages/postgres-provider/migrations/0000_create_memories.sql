CREATE TABLE "memories" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"agent_id" text,
	"app_id" text,
	"run_id" text,
	"memory" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('english'::regconfig, memory)) STORED
);
--> statement-breakpoint
CREATE TABLE "memory_history" (
	"id" text PRIMARY KEY NOT NULL,
	"memory_id" text NOT NULL,
	"user_id" text,
	"agent_id" text,
	"app_id" text,
	"run_id" text,
	"event" text NOT NULL,
	"old_memory" text,
	"new_memory" text,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "memories_user_id_created_at_idx" ON "memories" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "memories_agent_id_created_at_idx" ON "memories" USING btree ("agent_id","created_at","id");--> statement-breakpoint
CREATE INDEX "memories_app_id_created_at_idx" ON "memories" USING btree ("app_id","created_at","id");--> statement-breakpoint
CREATE INDEX "memories_run_id_created_at_idx" ON "memories" USING btree ("run_id","created_at","id");--> statement-breakpoint
CREATE INDEX "memories_search_vector_idx" ON "memories" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "memory_history_memory_id_created_at_idx" ON "memory_history" USING btree ("memory_id","created_at","id");