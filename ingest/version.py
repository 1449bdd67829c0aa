"""Version of what ingest produces from a file (extraction, inference, chunking, embedding text).
A stored document built by another version is re-processed on the next run."""

PIPELINE_VERSION = "1"
