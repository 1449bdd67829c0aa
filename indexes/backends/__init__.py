"""Storage backends: the embedded qdrant-edge engine and a Qdrant server via qdrant-client.

Both implement `Backend`, so `indexes.store.ScrutinyIndex` holds the logic once."""
