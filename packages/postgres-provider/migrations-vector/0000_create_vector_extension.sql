-- pgvector is optional: this whole migration set runs only where the extension can be created
-- (PGlite with @electric-sql/pglite-pgvector, or a server that ships pgvector).
CREATE EXTENSION IF NOT EXISTS vector;
