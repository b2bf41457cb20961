DROP INDEX "memories_search_vector_idx";--> statement-breakpoint
CREATE INDEX "memories_search_vector_idx" ON "memories" USING gin ("search_vector") WITH (fastupdate=off);