CREATE TABLE "memory_embeddings" (
	"memory_id" text PRIMARY KEY NOT NULL,
	"dimensions" integer NOT NULL,
	"embedding" vector NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memory_embeddings" ADD CONSTRAINT "memory_embeddings_memory_id_memories_id_fk" FOREIGN KEY ("memory_id") REFERENCES "public"."memories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "memory_embeddings_dimensions_idx" ON "memory_embeddings" USING btree ("dimensions");