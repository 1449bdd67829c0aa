"""API keys: the CLI that makes and revokes them, the rate limit per key, and the refusal to
serve an open service beyond loopback."""

import json

import pytest
from fastapi.testclient import TestClient

from cli.main import main
from service.auth import KeyStore, RateLimiter, check_bind, is_loopback
from service.errors import RateLimitedError, ServiceError


@pytest.fixture
def keys_file(tmp_path, monkeypatch):
    path = tmp_path / "keys.json"
    monkeypatch.setenv("SCRUTINY_KEYS_FILE", str(path))
    return path


def auth_only_app(keys_file, **settings):
    """The real app and auth layer; /whoami touches no engine, so none is loaded."""
    from service.app import create_app
    from service.settings import ServiceSettings

    return create_app(ServiceSettings(keys_file=keys_file, **settings), engine=object())


def test_cli_adds_lists_and_revokes_keys(keys_file, capsys):
    assert main(["keys", "add", "--name", "Jo Bloggs", "--role", "officer", "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["key"].startswith("scr_") and added["role"] == "officer"
    assert added["key"] not in keys_file.read_text()  # only its digest is kept

    assert main(["keys", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(k["id"], k["name"], k["revoked"]) for k in listed] == [(added["id"], "Jo Bloggs", None)]
    assert "sha256" not in listed[0]

    store = KeyStore(keys_file)
    assert store.identify(added["key"]).name == "Jo Bloggs"
    assert main(["keys", "revoke", added["id"]]) == 0
    assert store.identify(added["key"]) is None  # re-read on change: no restart needed
    assert main(["keys", "revoke", "nosuchid"]) == 2
    assert main(["keys", "add", "--name", "x"]) == 2


def test_a_revoked_key_stops_working_while_the_service_runs(keys_file):
    store = KeyStore(keys_file)
    key, secret = store.add("Sam", "member")
    with TestClient(auth_only_app(keys_file)) as client:
        assert client.get("/whoami", headers={"Authorization": f"Bearer {secret}"}).json()["role"] == "member"
        store.revoke(key.id)
        assert client.get("/whoami", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_revoking_the_last_key_locks_the_service_rather_than_opening_it(keys_file):
    store = KeyStore(keys_file)
    store.revoke(store.add("Only", "officer")[0].id)
    with TestClient(auth_only_app(keys_file)) as client:
        assert client.get("/whoami").status_code == 401


def test_without_keys_the_service_is_open_with_the_open_role(keys_file):
    with TestClient(auth_only_app(keys_file, open_role="public")) as client:
        assert client.get("/whoami").json() == {"name": "open access", "role": "public", "open": True}


def test_requests_beyond_a_keys_rate_get_429_with_retry_after(keys_file):
    store = KeyStore(keys_file)
    _, first = store.add("Busy", "public")
    _, second = store.add("Quiet", "public")
    with TestClient(auth_only_app(keys_file, rate_limit_burst=3, rate_limit_per_minute=6)) as client:
        statuses = [client.get("/whoami", headers={"X-API-Key": first}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get("/whoami", headers={"X-API-Key": first})
        assert limited.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["Retry-After"]) <= 10
        # The limit is per key: another key is not held back.
        assert client.get("/whoami", headers={"X-API-Key": second}).status_code == 200


def test_the_bucket_refills_over_time(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("service.auth.time.monotonic", lambda: clock[0])
    limiter = RateLimiter(per_minute=60, burst=1)
    limiter.take("k")
    with pytest.raises(RateLimitedError):
        limiter.take("k")
    clock[0] += 1.0
    limiter.take("k")


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("192.168.1.20", False), ("::", False)])
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_an_open_service_is_refused_beyond_loopback(keys_file):
    store = KeyStore(keys_file)
    check_bind("127.0.0.1", store, allow_open=False)
    with pytest.raises(ServiceError, match="no access keys"):
        check_bind("0.0.0.0", store, allow_open=False)
    check_bind("0.0.0.0", store, allow_open=True)
    store.add("Officer", "officer")
    check_bind("0.0.0.0", store, allow_open=False)


def test_serve_refuses_an_open_non_loopback_bind_before_loading_anything(keys_file, capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", "8999"]) == 2
    assert "--allow-open" in capsys.readouterr().err


def test_a_key_file_that_disappears_locks_the_running_service_rather_than_opening_it(keys_file):
    # Found by review: a missing file used to read as "no keys", i.e. open, as officer.
    store = KeyStore(keys_file)
    _, secret = store.add("Officer", "officer")
    with TestClient(auth_only_app(keys_file)) as client:
        assert client.get("/whoami", headers={"X-API-Key": secret}).status_code == 200
        keys_file.rename(keys_file.with_suffix(".moved"))
        assert client.get("/whoami").status_code == 401
        assert client.get("/whoami", headers={"X-API-Key": secret}).status_code == 401
        keys_file.write_text('{"keys": []}')  # emptied by hand: still locked
        assert client.get("/whoami").status_code == 401


def test_a_service_started_open_stays_open_until_keys_are_made(keys_file):
    with TestClient(auth_only_app(keys_file)) as client:
        assert client.get("/whoami").json()["open"] is True
        _, secret = KeyStore(keys_file).add("First", "member")
        assert client.get("/whoami").status_code == 401
        assert client.get("/whoami", headers={"X-API-Key": secret}).json()["role"] == "member"


def test_an_unreadable_key_file_refuses_every_request_in_the_error_shape(keys_file, capsys):
    store = KeyStore(keys_file)
    _, secret = store.add("Officer", "officer")
    with TestClient(auth_only_app(keys_file)) as client:
        keys_file.write_text("{bad")
        response = client.get("/whoami", headers={"X-API-Key": secret})
        assert response.status_code == 503 and response.json()["error"]["code"] == "keys_unavailable"
    assert main(["keys", "list"]) == 2
    assert "cannot be read" in capsys.readouterr().err
