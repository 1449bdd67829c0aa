"""The service's domain errors and their one mapping to HTTP responses."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from indexes import DocumentNotFoundError, IndexBackendError


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
