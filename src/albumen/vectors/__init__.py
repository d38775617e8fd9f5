"""Vector indexes: embeddings ranked against a query, in process (index) or by pgvector."""
