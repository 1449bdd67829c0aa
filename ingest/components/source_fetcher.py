import hashlib
import logging
import os
import stat
from pathlib import Path

import httpx
from haystack import component
from haystack.dataclasses import ByteStream

logger = logging.getLogger(__name__)

MAX_SOURCE_BYTES = 200 * 1024 * 1024  # the largest Ofsted report is ~10 MB; anything this big is a mistake


@component
class SourceFetcher:
    """Reads files and downloads URLs into byte streams carrying their source and sidecar metadata.

    Usage:
        fetcher = SourceFetcher(timeout=20)
        fetcher.run(sources=["minutes.pdf"], sidecars={})
    """

    def __init__(
        self,
        timeout: float = 20.0,
        user_agent: str = "scrutiny/0.1 (+council scrutiny search)",
        max_bytes: int = MAX_SOURCE_BYTES,
    ):
        """
        :param timeout: Seconds to wait for a URL before reporting it as unreadable.
        :param user_agent: The User-Agent header sent with downloads.
        :param max_bytes: Largest file or download read (`IngestLimits.max_file_bytes`).
        :raises ValueError: if `timeout` or `max_bytes` is not positive.
        """
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {max_bytes}")
        self.timeout = timeout
        self.user_agent = user_agent
        self.max_bytes = max_bytes

    def _over(self, size: int) -> OSError:
        return OSError(f"over the {self.max_bytes}-byte file size limit ({size} bytes)")

    def _fetch(self, source: str) -> tuple[bytes, dict]:
        if source.startswith(("http://", "https://")):
            try:
                # Streamed, so a download is stopped at the limit rather than held whole.
                with httpx.stream("GET", source, timeout=self.timeout, follow_redirects=True, headers={"User-Agent": self.user_agent}) as response:
                    if response.status_code >= 400:
                        raise OSError(f"unreadable URL: HTTP {response.status_code}")
                    body = bytearray()
                    for part in response.iter_bytes():
                        body += part
                        if len(body) > self.max_bytes:
                            raise self._over(len(body))
            except httpx.HTTPError as e:
                raise OSError(f"unreadable URL: {e.__class__.__name__}: {e}") from e
            return bytes(body), {"url": source, "mime_type": response.headers.get("content-type", "").split(";")[0]}
        path = Path(source)
        # Sources are resolved paths: a link in their place now was put there since (O_NOFOLLOW).
        # O_NONBLOCK: opening a FIFO put in a file's place must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise OSError("not a regular file")
            size = status.st_size
            if size > self.max_bytes:
                raise self._over(size)
            data = handle.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise self._over(len(data))
        return data, {"file_name": path.name}

    @component.output_types(streams=list[ByteStream], failed=list[dict])
    def run(self, sources: list[str], sidecars: dict[str, dict] | None = None):
        """
        :param sources: Absolute file paths or http(s) URLs.
        :param sidecars: Source -> metadata given beside it (manifest.jsonl, metadata.json).
        :returns: `streams`, one per readable source, and `failed`, `{"source", "reason"}` each.
        """
        sidecars = sidecars if sidecars is not None else {}
        streams: list[ByteStream] = []
        failed: list[dict] = []
        for source in sources:
            try:
                data, extra = self._fetch(source)
            except OSError as e:
                failed.append({"source": source, "reason": str(e)})
                continue
            meta = {
                "source": source,
                "content_sha256": hashlib.sha256(data).hexdigest(),
                "sidecar": dict(sidecars.get(source, {})),
                **extra,
            }
            streams.append(ByteStream(data=data, meta=meta))
        return {"streams": streams, "failed": failed}
