CREATE SCHEMA "memgate";
--> statement-breakpoint
CREATE TABLE "memgate"."api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"digest" text NOT NULL,
	"environment" text NOT NULL,
	"roles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"permissions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"scopes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip_allow_list" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rotated_from" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_digest_unique" UNIQUE("digest")
);
--> statement-breakpoint
CREATE TABLE "memgate"."audit_entries" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"outcome" text NOT NULL,
	"request_id" text,
	"source_ip" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_entries_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "memgate"."failover_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"request_id" text,
	"pool" text NOT NULL,
	"operation" text NOT NULL,
	"strategy" text NOT NULL,
	"candidate_order" jsonb NOT NULL,
	"attempts" jsonb NOT NULL,
	"provider" text,
	"fallbacks" integer DEFAULT 0 NOT NULL,
	"outcome" text NOT NULL,
	"duration_ms" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memgate"."health_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"ok" boolean NOT NULL,
	"latency_ms" double precision NOT NULL,
	"error_class" text,
	"status_code" integer
);
--> statement-breakpoint
CREATE TABLE "memgate"."health_trends" (
	"provider" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"timeouts" integer DEFAULT 0 NOT NULL,
	"latency_avg_ms" double precision,
	"latency_p_50_ms" double precision,
	"latency_p_95_ms" double precision,
	"latency_p_99_ms" double precision,
	"availability" double precision,
	CONSTRAINT "health_trends_provider_hour_pk" PRIMARY KEY("provider","hour")
);
--> statement-breakpoint
CREATE TABLE "memgate"."idempotency_keys" (
	"key" text NOT NULL,
	"principal" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_principal_key_pk" PRIMARY KEY("principal","key")
);
--> statement-breakpoint
CREATE TABLE "memgate"."journal_deliveries" (
	"entry_id" bigint NOT NULL,
	"member" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "journal_deliveries_entry_id_member_pk" PRIMARY KEY("entry_id","member"),
	CONSTRAINT "journal_deliveries_state_check" CHECK ("memgate"."journal_deliveries"."state" in ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "memgate"."journal_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"pool" text NOT NULL,
	"op" text NOT NULL,
	"memory_id" text NOT NULL,
	"version" integer NOT NULL,
	"payload" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journal_entries_memory_version_key" UNIQUE("pool","memory_id","version"),
	CONSTRAINT "journal_entries_op_check" CHECK ("memgate"."journal_entries"."op" in ('add', 'update', 'delete'))
);
--> statement-breakpoint
CREATE TABLE "memgate"."providers" (
	"name" text PRIMARY KEY NOT NULL,
	"provider_type" text NOT NULL,
	"config" jsonb NOT NULL,
	"state" text NOT NULL,
	"source" text NOT NULL,
	"reason" text,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "providers_state_check" CHECK ("memgate"."providers"."state" in ('active', 'inactive')),
	CONSTRAINT "providers_source_check" CHECK ("memgate"."providers"."source" in ('config', 'api', 'discovered'))
);
--> statement-breakpoint
ALTER TABLE "memgate"."journal_deliveries" ADD CONSTRAINT "journal_deliveries_entry_id_journal_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "memgate"."journal_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_prefix_idx" ON "memgate"."api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "audit_entries_at_idx" ON "memgate"."audit_entries" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_entries_actor_idx" ON "memgate"."audit_entries" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "failover_decisions_pool_at_idx" ON "memgate"."failover_decisions" USING btree ("pool","at");--> statement-breakpoint
CREATE INDEX "health_samples_provider_at_idx" ON "memgate"."health_samples" USING btree ("provider","at");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "memgate"."idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "journal_deliveries_member_state_idx" ON "memgate"."journal_deliveries" USING btree ("member","state","entry_id");--> statement-breakpoint
CREATE INDEX "journal_entries_pool_id_idx" ON "memgate"."journal_entries" USING btree ("pool","id");--> statement-breakpoint
CREATE INDEX "providers_provider_type_idx" ON "memgate"."providers" USING btree ("provider_type");