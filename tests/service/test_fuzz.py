"""Property-based fuzzing of every operation in the app's own OpenAPI schema (schemathesis):
valid and invalid inputs, in-process, on the sample index with the real model. No input may
give a 5xx, and every error must be `{"error": {"code", "message"}}`."""

import tempfile
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

pytestmark = pytest.mark.slow

# Examples per operation and mode: 23 operation-modes x 25 stay under a minute on two cores.
EXAMPLES = 25

TALLY: Counter = Counter()


def operations() -> list[tuple[str, str, GenerationMode]]:
    """(method, path, mode) for every operation in the schema, negative only where there is an
    input to get wrong (the schema needs no index or model)."""
    from service.app import create_app
    from service.settings import ServiceSettings

    app = create_app(ServiceSettings(keys_file=Path(tempfile.mkdtemp()) / "keys.json"), engine=object())
    found = []
    for path, methods in app.openapi()["paths"].items():
        for method, spec in methods.items():
            found.append((method.upper(), path, GenerationMode.POSITIVE))
            if spec.get("parameters") or spec.get("requestBody"):
                found.append((method.upper(), path, GenerationMode.NEGATIVE))
    return found


@pytest.fixture(scope="module")
def api_schema(client):
    """The schema of an app serving the session's already-open engine (schemathesis runs the
    app's lifespan itself; a second app opening the same index folder would find it locked)."""
    from service.app import create_app

    app = create_app(client.app.state.settings, engine=client.app.state.engine)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    print(f"\nfuzz: {sum(TALLY.values())} requests; by status class {dict(sorted(TALLY.items()))}")


def error_shape(ctx, response, case) -> None:
    """Every 4xx/5xx body is the service's one error shape."""
    if response.status_code < 400:
        return
    body = response.json()
    if not (isinstance(body, dict) and set(body) == {"error"} and isinstance(body["error"], dict) and set(body["error"]) == {"code", "message"}):
        raise AssertionError(f"{response.status_code} body is not {{'error': {{'code', 'message'}}}}: {response.text[:300]}")
    if not (isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)):
        raise AssertionError(f"error code and message must be strings: {body}")


@pytest.mark.parametrize("method, path, mode", operations(), ids=lambda value: str(value))
def test_no_input_gives_a_server_error(api_schema, method, path, mode):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    def call(case):
        response = case.call()
        TALLY[f"{response.status_code // 100}xx"] += 1
        case.validate_response(response, checks=[not_a_server_error, error_shape])

    call()
