"""The service's domain errors and their one mapping to HTTP responses."""

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from indexes import DocumentNotFoundError, IndexBackendError
from service.middleware import security_headers

logger = logging.getLogger(__name__)

# Codes for the HTTP errors Starlette raises itself (unknown route, wrong method, body cap).
HTTP_ERROR_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


class ServiceError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidRequestError(ServiceError):
    status_code = 422
    code = "invalid_request"


class NotFoundError(ServiceError):
    status_code = 404
    code = "not_found"


class UnavailableError(ServiceError):
    status_code = 503
    code = "index_unavailable"


class KeysUnavailableError(ServiceError):
    status_code = 503
    code = "keys_unavailable"


class UnauthorizedError(ServiceError):
    status_code = 401
    code = "unauthorized"


class RateLimitedError(ServiceError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


def _body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_: Request, error: ServiceError):
        return JSONResponse(status_code=error.status_code, content=_body(error.code, error.message), headers=getattr(error, "headers", None))

    @app.exception_handler(DocumentNotFoundError)
    async def document_not_found(_: Request, error: DocumentNotFoundError):
        return JSONResponse(status_code=404, content=_body("document_not_found", str(error)))

    @app.exception_handler(IndexBackendError)
    async def backend_error(_: Request, error: IndexBackendError):
        return JSONResponse(status_code=503, content=_body("index_unavailable", str(error)))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'] if part not in ('body', 'query'))}: {issue['msg']}" for issue in error.errors()
        )
        return JSONResponse(status_code=422, content=_body("invalid_request", problems))

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException):
        code = HTTP_ERROR_CODES.get(error.status_code, HTTPStatus(error.status_code).phrase.lower().replace(" ", "_"))
        message = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
        return JSONResponse(status_code=error.status_code, content=_body(code, message), headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception):
        # The last resort: a bug, not bad input. The traceback goes to the log, never the body.
        # Starlette renders this outside the middleware stack, so the security headers are added here.
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        return JSONResponse(
            status_code=500,
            content=_body("internal_error", "the service failed to answer this request; the error is in its log"),
            headers=security_headers(request.url.path),
        )
