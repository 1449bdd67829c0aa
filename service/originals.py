"""The paper itself: the stored source file a document was read from, or its web address.

Only a file recorded as one of the document's sources, and only while its bytes are still the
ones that were indexed, is served: a path that now holds something else (an edited file, a
symlink put in its place) is not the paper the citations quote.
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class Original:
    """A local file to send, or a web address to send the reader to."""

    path: Path | None = None
    url: str | None = None
    media_type: str | None = None


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class OriginalFinder:
    """Finds a document's original, hashing each candidate file once per (size, mtime)."""

    def __init__(self):
        self._hashes: dict[tuple[str, int, int], str] = {}

    def _hash(self, path: Path) -> str | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in self._hashes:
            try:
                self._hashes[key] = _sha256(path)
            except OSError:
                return None
        return self._hashes[key]

    def find(self, record: dict) -> Original | None:
        """The first local source whose bytes are the indexed ones, else the document's web
        address (http or https only), else None."""
        indexed = {record.get("content_sha256"), *(record.get("variant_sha256s") or [])} - {None}
        for source in record.get("sources") or []:
            if source.startswith(("http://", "https://")):
                continue
            path = Path(source)
            if path.suffix.lower() in MEDIA_TYPES and path.is_file() and self._hash(path) in indexed:
                return Original(path=path, media_type=MEDIA_TYPES[path.suffix.lower()])
        web = next((s for s in [record.get("url"), *(record.get("sources") or [])] if s and s.startswith(("http://", "https://"))), None)
        return Original(url=web) if web else None


class Grants:
    """Short-lived signed links to an original, for a browser that cannot send the key header
    when it follows a link. A grant names the document and the key; both are checked again
    when it is used, so revoking the key or restricting the paper ends it."""

    def __init__(self, lifetime_seconds: int = 3600, secret: bytes | None = None):
        self.lifetime = lifetime_seconds
        self._secret = secret or secrets.token_bytes(32)  # per process: a restart ends every grant

    def _sign(self, document_id: str, key_id: str, expires: int) -> str:
        message = f"{document_id}|{key_id}|{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def issue(self, document_id: str, key_id: str) -> str:
        expires = int(time.time()) + self.lifetime
        return f"{key_id}.{expires}.{self._sign(document_id, key_id, expires)}"

    def verify(self, document_id: str, grant: str) -> str | None:
        """The key id the grant was issued to, or None if it is forged, for another document or expired."""
        try:
            key_id, expires_text, signature = grant.split(".")
            expires = int(expires_text)
        except ValueError:
            return None
        if expires < time.time() or not hmac.compare_digest(signature, self._sign(document_id, key_id, expires)):
            return None
        return key_id
