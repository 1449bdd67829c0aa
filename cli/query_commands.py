"""Sub-commands that read the index through the service's pipelines: search, ask, serve."""


def register(commands) -> None:
    """Filled in by the search-and-ask work."""
