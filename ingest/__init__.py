"""Ingest: sources -> documents -> chunks -> vectors -> the index."""
