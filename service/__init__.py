"""The query service: FastAPI app, query pipelines and their components."""
