"""The `scrutiny` command line: one entry point composing ingest, service and eval."""
