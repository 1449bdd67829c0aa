"""HTTP hardening that sits in front of every route: security headers, trusted Host names, a cap
on request bodies, and an access log that never records query strings or keys.

Each is a pure ASGI middleware (no `BaseHTTPMiddleware`), so a request body is streamed through
them, never buffered, and static files and error responses pass through the same checks.
"""

import asyncio
import logging
import re
import time
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_logger = logging.getLogger("scrutiny.access")

# The page and its scripts come from this origin only; nothing inline, nothing framed, no plugins.
# `style-src 'self'` still lets scripts set `element.style` (CSSOM is not governed by CSP).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'; object-src 'none'"
)
# ReDoc (vendored under /static/vendor, started by a script file, so still no inline script)
# styles itself with injected <style> elements and searches in a blob: worker. Swagger UI on
# /docs needs neither and has the strict policy.
REDOC_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'; object-src 'none'"
)
REDOC_PATH = "/redoc"

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    # The page uses none of these powerful features.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
}


def security_headers(path: str) -> dict[str, str]:
    """The headers every response to `path` carries (also used by the last-resort 500 handler,
    which Starlette renders outside the middleware stack)."""
    policy = REDOC_CONTENT_SECURITY_POLICY if path == REDOC_PATH else CONTENT_SECURITY_POLICY
    return {"Content-Security-Policy": policy, **SECURITY_HEADERS}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


class SecurityHeadersMiddleware:
    """Adds CSP, anti-framing, nosniff, referrer and permissions headers to every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in security_headers(scope["path"]).items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


_BRACKETED_HOST = re.compile(r"\[([0-9a-f:.]+)\](?::\d+)?")
_HOST_NAME = re.compile(r"[a-z0-9.\-_*]+")


def host_name(header: str | None) -> str | None:
    """The host of a Host header without its port, lower-case; IPv6 literals keep no brackets."""
    if not header:
        return None
    header = header.strip().lower()
    # Only "name", "name:port", "[v6]" or "[v6]:port"; anything else ("[::1]@evil.example") is no host.
    bracketed = _BRACKETED_HOST.fullmatch(header)
    if header.startswith("["):
        return bracketed.group(1) if bracketed else None
    name, _, port = header.partition(":")
    if (port and not port.isdigit()) or not _HOST_NAME.fullmatch(name):
        return None
    return name


class TrustedHostMiddleware:
    """Answers only requests whose Host header names this service, so a forged Host never
    reaches a generated URL (redirects, OpenAPI servers). The patterns follow Starlette's
    TrustedHostMiddleware ("name", "*.domain", "*") but the refusal is our error shape and, unlike
    Starlette's, never redirects to a www. name.

    Usage:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"])
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]):
        self.app = app
        self.allowed_hosts = [pattern.strip().lower().strip("[]") for pattern in allowed_hosts if pattern.strip()]
        for pattern in self.allowed_hosts:
            if "*" in pattern[1:] or (pattern.startswith("*") and pattern != "*" and not pattern.startswith("*.")):
                raise ValueError(f"allowed_hosts: {pattern!r} must be a name, '*.domain' or '*'")
        self.allow_any = "*" in self.allowed_hosts

    def is_trusted(self, host: str | None) -> bool:
        if self.allow_any:
            return True
        if host is None:
            return False
        return any(host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])) for pattern in self.allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.is_trusted(host_name(Headers(scope=scope).get("host"))):
            await self.app(scope, receive, send)
            return
        # The refused name is not repeated back: it is the attacker's text.
        response = _error(400, "invalid_host", "this service does not answer for the host name in the request's Host header")
        await response(scope, receive, send)


class BodyTooLargeError(HTTPException):
    """Raised from `receive` once a body passes the cap; an HTTPException so FastAPI's body
    reading lets it through (it turns other exceptions into 400) and errors.py renders it."""

    def __init__(self, limit: int):
        super().__init__(status_code=413, detail=f"request body is larger than {limit} bytes")


class BodyLimitMiddleware:
    """Refuses a request body over `max_body_bytes` with 413, counting the declared
    Content-Length and then the bytes actually streamed, so an oversized body is never held
    in memory whether or not its length is declared.

    Usage:
        app.add_middleware(BodyLimitMiddleware, max_body_bytes=64 * 1024)
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await self._refuse(scope, receive, send)
            return

        received = 0
        response_started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLargeError(self.max_body_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLargeError:
            # Read outside FastAPI's body parsing (a plain Starlette route): answer here.
            if response_started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = _error(413, "body_too_large", f"request body is larger than {self.max_body_bytes} bytes")
        # The unread body is dropped with the connection rather than read to its end.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


# Routes that answer without queueing behind searches: liveness and counts, the page and its
# files, the API docs. Everything else (search, ask, compare, documents, …, and routes added
# later) is query work.
UNQUEUED_PATHS = frozenset({"/", "/health", "/health/live", "/whoami", "/docs", "/redoc", "/openapi.json", "/favicon.ico"})
UNQUEUED_PREFIXES = ("/static/",)


def is_query_work(path: str) -> bool:
    return path not in UNQUEUED_PATHS and not path.startswith(UNQUEUED_PREFIXES)


class QueryConcurrencyMiddleware:
    """Lets at most `max_concurrent` requests do query work at once; the rest wait their turn
    here, on the event loop, holding no worker thread.

    Why: query handlers are sync and run in the thread pool (40 threads). On a small machine 40
    pipelines at once each get a sliver of the CPU, so every request slows down, throughput
    falls, the pool is full, and the Python threads crowd the event loop, delaying even
    `/health/live`. Queued here instead, requests finish in arrival order at the rate the CPU
    allows and the pool always has threads for `/health`.

    Usage:
        app.add_middleware(QueryConcurrencyMiddleware, max_concurrent=2)
    """

    def __init__(self, app: ASGIApp, max_concurrent: int):
        self.app = app
        self.max_concurrent = max_concurrent
        self._loop: asyncio.AbstractEventLoop | None = None
        self._semaphore: asyncio.Semaphore | None = None

    def _slots(self) -> asyncio.Semaphore:
        # One semaphore per event loop: a test client may run the same app on a new loop.
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._semaphore = loop, asyncio.Semaphore(self.max_concurrent)
        return self._semaphore

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_query_work(scope["path"]):
            await self.app(scope, receive, send)
            return
        async with self._slots():
            await self.app(scope, receive, send)


class AccessLogMiddleware:
    """One line per request: `method path status ms`. The path only: a query string holds
    users' questions and may hold a key, and no header value (Authorization, X-API-Key) is
    ever logged. Replaces uvicorn's access log, which prints the full query string.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def watched_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            access_logger.info("%s %s %d %.1f", scope["method"], scope["path"], status, elapsed_ms)


def uvicorn_log_config() -> dict:
    """uvicorn's logging config with our access logger added beside its own loggers (run
    uvicorn with `access_log=False` so its query-string-bearing access lines are not written)."""
    from uvicorn.config import LOGGING_CONFIG

    config = {**LOGGING_CONFIG, "loggers": dict(LOGGING_CONFIG["loggers"])}
    config["formatters"] = {**LOGGING_CONFIG["formatters"], "scrutiny_access": {"format": "%(levelname)s:     %(message)s"}}
    config["handlers"] = {
        **LOGGING_CONFIG["handlers"],
        "scrutiny_access": {"formatter": "scrutiny_access", "class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
    }
    config["loggers"]["scrutiny.access"] = {"handlers": ["scrutiny_access"], "level": "INFO", "propagate": False}
    return config
