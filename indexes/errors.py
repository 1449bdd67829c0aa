"""The index's own errors: everything a caller of `indexes` may need to catch."""


class IndexError_(Exception):
    """Base class for errors raised by the index layer."""


class IndexLockedError(IndexError_):
    """The embedded index is open in another process."""

    def __init__(self, path: str, holder: dict | None):
        self.path = path
        self.holder = holder or {}
        who = self.holder.get("command", "another process")
        pid = self.holder.get("pid")
        url = self.holder.get("url")
        message = f"the index at {path} is in use by {who}" + (f" (pid {pid})" if pid else "")
        if url:
            message += (
                f". A running service answers at {url}: query it there, or stop it before "
                "ingesting (or use a Qdrant server via QDRANT_URL, which allows several clients)"
            )
        else:
            message += ". Wait for it to finish or stop it, then run this command again"
        super().__init__(message)


class IndexSchemaError(IndexError_):
    """The index on disk was built with a different schema, model or dimension."""


class IndexBackendError(IndexError_):
    """The Qdrant engine or server failed or could not be reached."""


class DocumentNotFoundError(IndexError_):
    """No document with the requested id is stored."""

    def __init__(self, document_id: str):
        self.document_id = document_id
        super().__init__(f"no document with id {document_id!r}")
