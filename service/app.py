"""The FastAPI application factory."""

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
from service.routes import ask, authorities, commitments, compare, documents, health, search, whoami
from service.settings import ServiceSettings, get_settings


STATIC = Path(__file__).parent / "static"


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
    )
    install_error_handlers(app)
    for module in (search, ask, compare, commitments, authorities, documents, health, whoami):
        app.include_router(module.router)
    # The page for members: static files only, no build step, nothing fetched from elsewhere.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
