"""The FastAPI application factory."""

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from indexes import open_index
from service.auth import KeyStore, RateLimiter, check_bind
from service.engine import QueryEngine
from service.originals import Grants
from service.errors import install_error_handlers
from service.middleware import (
    AccessLogMiddleware,
    BodyLimitMiddleware,
    QueryConcurrencyMiddleware,
    SecurityHeadersMiddleware,
    TrustedHostMiddleware,
)
from service.routes import ask, authorities, commitments, compare, coverage, documents, health, search, whoami
from service.settings import ServiceSettings, get_settings


logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"


def create_app(settings: ServiceSettings | None = None, *, engine: QueryEngine | None = None) -> FastAPI:
    """Build the app. The lifespan opens the index, loads and warms the model, and closes the
    index on exit; pass `engine` to serve one that is already open (tests, the CLI)."""
    settings = settings or get_settings()
    keys = KeyStore(settings.keys_file)
    check_bind(settings.host, keys, settings.allow_open)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.settings = settings
        app.state.keys = keys
        app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
        app.state.grants = Grants()
        if engine is not None:
            app.state.engine = engine
            yield
            return
        index = open_index(settings.index, purpose="scrutiny serve")
        # Every read a request makes must name its reader (service.auth.acting_as).
        index.require_scope = True
        try:
            index.announce(url=f"http://{settings.host}:{settings.port}")
            if not settings.index.qdrant_url:
                # An ingest killed mid-write can leave chunks without their document; this process
                # holds the embedded index alone, so remove them before anyone can be shown them.
                found = index.repair(index.integrity(), incomplete=False)
                if found.orphan_chunks or found.orphan_commitments:
                    logger.warning("removed what an interrupted ingest left: %s", found.counts())
            served = QueryEngine(index, settings)
            served.warm_up()
            app.state.engine = served
            yield
        finally:
            index.close()

    app = FastAPI(
        title="scrutiny",
        summary="Search and cited answers over council minutes, Ofsted reports and local news.",
        version="0.1.0",
        lifespan=lifespan,
        # /docs and /redoc are served below from vendored files: FastAPI's own load from a CDN
        # (blank offline) and carry an inline script the Content-Security-Policy refuses.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    # Last added runs first: the access log and the security headers see every response,
    # including a refused Host or an oversized body.
    app.add_middleware(QueryConcurrencyMiddleware, max_concurrent=settings.max_concurrent_queries)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts())
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AccessLogMiddleware)
    for module in (search, ask, compare, commitments, authorities, documents, coverage, health, whoami):
        app.include_router(module.router)
    # The page for members: static files only, no build step, nothing fetched from elsewhere.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> FileResponse:
        return FileResponse(VENDOR / "docs.html")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> FileResponse:
        return FileResponse(VENDOR / "redoc.html")

    return app
