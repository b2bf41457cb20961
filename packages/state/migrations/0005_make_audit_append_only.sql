-- Hand-written (drizzle-kit cannot express triggers): the audit chain and its checkpoints are
-- append-only in the database itself, not only in DrizzleAuditStore. A trigger refuses every UPDATE,
-- DELETE and TRUNCATE of memgate.audit_entries and memgate.audit_checkpoints, whoever runs it, so an
-- edit cannot slip in through SQL beside the store (verifyAuditChain would catch it; this stops it).
-- Removing old entries takes dropping the trigger first, on purpose: a deliberate, visible act.
-- PostgreSQL 15 syntax (no CREATE OR REPLACE TRIGGER needed: the triggers are new).
CREATE FUNCTION "memgate"."refuse_audit_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'memgate.% is append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'P0001', HINT = 'audit rows are only ever inserted';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_entries_append_only" BEFORE UPDATE OR DELETE ON "memgate"."audit_entries"
	FOR EACH ROW EXECUTE FUNCTION "memgate"."refuse_audit_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_entries_no_truncate" BEFORE TRUNCATE ON "memgate"."audit_entries"
	FOR EACH STATEMENT EXECUTE FUNCTION "memgate"."refuse_audit_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "memgate"."audit_checkpoints"
	FOR EACH ROW EXECUTE FUNCTION "memgate"."refuse_audit_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "memgate"."audit_checkpoints"
	FOR EACH STATEMENT EXECUTE FUNCTION "memgate"."refuse_audit_change"();
