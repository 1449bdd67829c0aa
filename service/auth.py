"""Who is calling: API keys mapped to roles, the per-key rate limit, and the scope a request
reads in.

Keys are created and revoked with `scrutiny keys add|list|revoke` and kept in a JSON file
(`SCRUTINY_KEYS_FILE`) as SHA-256 digests only; the service re-reads the file when it changes,
so a revoked key stops working at once. With no keys in the file the service is open, with
the role `SCRUTINY_OPEN_ROLE`, and `scrutiny serve` binds it to loopback only.
"""

import fcntl
import hashlib
import ipaddress
import json
import math
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath

from pydantic import BaseModel, Field

from councils.access import ROLES, Role, readable_levels
from indexes.scope import reading_as
from service.errors import KeysUnavailableError, RateLimitedError, UnauthorizedError

KEY_PREFIX = "scr_"


class ApiKey(BaseModel):
    id: str
    name: str = Field(min_length=1, max_length=100)
    role: Role
    sha256: str
    created: datetime
    revoked: datetime | None = None


class KeyFile(BaseModel):
    keys: list[ApiKey] = Field(default_factory=list)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class KeyStore:
    """The key file: read (and re-read when it changes) by the service, written by the CLI.

    Usage:
        store = KeyStore(Path("var/keys.json"))
        key, secret = store.add("Jo Bloggs", "officer")   # the secret is shown once, never stored
        store.identify(secret)                            # -> key; None once revoked
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._read_lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._file = KeyFile()
        self._by_digest: dict[str, ApiKey] = {}
        # Once this process has seen a key, a key file that goes missing or empty locks the
        # service instead of opening it (a deleted file must not make everyone an officer).
        self._seen_keys = False

    def _load(self) -> KeyFile:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._file, self._by_digest = None, KeyFile(), {}
            return self._file
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._read_lock:
            if stamp != self._stamp:
                try:
                    self._file = KeyFile.model_validate_json(self.path.read_text(encoding="utf-8"))
                except (ValueError, OSError) as e:
                    # Unreadable keys: refuse every request (fail closed) with a clear error.
                    self._stamp, self._file, self._by_digest = None, KeyFile(), {}
                    self._seen_keys = True
                    raise KeysUnavailableError(f"the access keys file {self.path.name} cannot be read ({e.__class__.__name__}); ask the operator to restore it") from None
                self._by_digest = {key.sha256: key for key in self._file.keys}
                self._stamp = stamp
        self._seen_keys = self._seen_keys or bool(self._file.keys)
        return self._file

    def keys(self) -> list[ApiKey]:
        return list(self._load().keys)

    def configured(self) -> bool:
        """Any key ever made, revoked ones included: revoking the last key locks the service
        rather than opening it."""
        return bool(self._load().keys) or self._seen_keys

    def active(self, key_id: str) -> ApiKey | None:
        """The key with this id, unless it is revoked or unknown."""
        return next((key for key in self._load().keys if key.id == key_id and key.revoked is None), None)

    def identify(self, secret: str) -> ApiKey | None:
        self._load()
        key = self._by_digest.get(digest(secret))
        return key if key is not None and key.revoked is None else None

    @contextmanager
    def _writing(self) -> Iterator[KeyFile]:
        """Read-modify-write under an exclusive lock, replacing the file atomically (0600)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            current = KeyFile.model_validate_json(self.path.read_text(encoding="utf-8")) if self.path.exists() else KeyFile()
            yield current
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(current.model_dump(mode="json"), indent=2))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)

    def add(self, name: str, role: Role) -> tuple[ApiKey, str]:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        with self._writing() as current:
            taken = {key.id for key in current.keys}
            key_id = next(candidate for candidate in (secrets.token_hex(4) for _ in range(100)) if candidate not in taken)
            key = ApiKey(id=key_id, name=name, role=role, sha256=digest(secret), created=datetime.now(UTC))
            current.keys.append(key)
        return key, secret

    def revoke(self, key_id: str) -> ApiKey:
        with self._writing() as current:
            for i, key in enumerate(current.keys):
                if key.id == key_id:
                    if key.revoked is None:
                        current.keys[i] = key = key.model_copy(update={"revoked": datetime.now(UTC)})
                    return key
        raise KeyError(key_id)


@dataclass(frozen=True)
class Caller:
    name: str
    role: Role
    key_id: str | None = None  # None when the service is open

    @property
    def open(self) -> bool:
        return self.key_id is None

    @property
    def levels(self) -> tuple[str, ...]:
        return readable_levels(self.role)


class RateLimiter:
    """A token bucket per key: `burst` requests at once, refilled at `per_minute`."""

    def __init__(self, per_minute: int, burst: int):
        self.rate = per_minute / 60.0
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str) -> None:
        """Spend one token, or raise RateLimitedError saying when the next one comes."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get(key_id, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self.rate)
                raise RateLimitedError(f"too many requests for this key; try again in {wait} s", retry_after=wait)
            self._buckets[key_id] = (tokens - 1.0, now)


def presented_secret(authorization: str | None, api_key_header: str | None) -> str | None:
    """The key from `Authorization: Bearer <key>` or `X-API-Key: <key>`."""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return api_key_header.strip() if api_key_header and api_key_header.strip() else None


def identify(store: KeyStore, limiter: RateLimiter, open_role: Role, secret: str | None) -> Caller:
    if not store.configured():
        return Caller(name="open access", role=open_role)
    if secret is None:
        raise UnauthorizedError("this service needs an access key: send it as 'Authorization: Bearer <key>'")
    key = store.identify(secret)
    if key is None:
        raise UnauthorizedError("the access key is not recognised or has been revoked")
    limiter.take(key.id)
    return Caller(name=key.name, role=key.role, key_id=key.id)


# Whether responses may carry server file paths: the operator's CLI and officers, not the rest.
_paths_visible: ContextVar[bool] = ContextVar("scrutiny_paths_visible", default=True)


@contextmanager
def acting_as(caller: Caller) -> Iterator[None]:
    """Everything read in this block is filtered for the caller's role (in the Qdrant query
    itself, see indexes.scope), and server paths are hidden from all but officers."""
    token = _paths_visible.set(caller.role == "officer")
    try:
        with reading_as(caller.levels):
            yield
    finally:
        _paths_visible.reset(token)


def shown_source(source: str | None) -> str | None:
    """A source as the current caller may see it: a URL as it is, a server file by its name."""
    if source is None or _paths_visible.get() or source.startswith(("http://", "https://")):
        return source
    return PurePath(source).name


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, store: KeyStore, allow_open: bool) -> None:
    """Refuse to serve an open (keyless) service beyond this computer unless told to."""
    if not store.configured() and not is_loopback(host) and not allow_open:
        raise UnauthorizedError(
            f"refusing to serve on {host} with no access keys: anyone who can reach it would read every paper. "
            "Create a key with 'scrutiny keys add', bind 127.0.0.1, or pass --allow-open",
            "open_bind_refused",
        )
