"""The Docker deployment is safe by default: read from docker-compose.yml and the Dockerfile
(Docker itself does not run here)."""

import re
import shlex

import pytest
import yaml

from tests.conftest import PROJECT

# A compose variable reference: ${NAME}, ${NAME:?message}, ${NAME:-default}.
VARIABLE = re.compile(r"^\$\{(?P<name>[A-Z_][A-Z0-9_]*)(?P<rule>:?[?-].*)?\}$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((PROJECT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) per Dockerfile instruction, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (PROJECT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: str(value) for name, value in env.items()}


def test_qdrant_is_not_published_to_the_host(compose):
    qdrant = compose["services"]["qdrant"]
    assert "ports" not in qdrant
    assert qdrant.get("network_mode") != "host"


def test_qdrant_api_key_comes_from_the_env_file_and_is_required(compose):
    server_key = environment(compose["services"]["qdrant"])["QDRANT__SERVICE__API_KEY"]
    match = VARIABLE.match(server_key)
    assert match, f"QDRANT__SERVICE__API_KEY must come from a variable, not be written here: {server_key!r}"
    assert match["rule"] and match["rule"].startswith(":?"), "compose must refuse to start without a key"
    assert (PROJECT / ".env.example").read_text().count(f"\n{match['name']}=") == 1


def test_scrutiny_sends_the_same_key_under_a_name_the_index_settings_read(compose):
    from indexes import IndexSettings

    server_key = environment(compose["services"]["qdrant"])["QDRANT__SERVICE__API_KEY"]
    read = IndexSettings.model_fields["qdrant_api_key"].validation_alias.choices
    sent = {name: value for name, value in environment(compose["services"]["scrutiny"]).items() if name in read}
    assert list(sent.values()) == [server_key]


def test_scrutiny_is_published_on_loopback_only(compose):
    ports = compose["services"]["scrutiny"]["ports"]
    assert ports
    for port in ports:
        if isinstance(port, dict):
            assert port.get("host_ip") == "127.0.0.1", port
        else:
            assert str(port).startswith("127.0.0.1:"), port


def test_scrutiny_keeps_its_access_keys_in_a_volume(compose):
    scrutiny = compose["services"]["scrutiny"]
    keys_file = environment(scrutiny)["SCRUTINY_KEYS_FILE"]
    mounts = [volume.split(":")[1] if isinstance(volume, str) else volume["target"] for volume in scrutiny["volumes"]]
    assert any(keys_file.startswith(mount.rstrip("/") + "/") for mount in mounts), (keys_file, mounts)


def test_image_runs_as_a_user_other_than_root(dockerfile):
    users = [arguments for instruction, arguments in dockerfile if instruction == "USER"]
    assert users, "the Dockerfile sets no USER: the service would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_image_has_a_healthcheck_on_the_liveness_route(dockerfile):
    from service.routes.health import router

    checks = [arguments for instruction, arguments in dockerfile if instruction == "HEALTHCHECK"]
    assert len(checks) == 1 and "CMD" in checks[0]
    assert "/health/live" in checks[0] and "/health/live" in {route.path for route in router.routes}
    assert "curl" not in checks[0] and "wget" not in checks[0]  # neither is in the slim image


def test_image_serves_with_keys_not_open(dockerfile):
    command = " ".join(arguments for instruction, arguments in dockerfile if instruction == "CMD")
    assert "serve" in command and "--allow-open" not in command
    assert "SCRUTINY_ALLOW_OPEN" not in " ".join(arguments for instruction, arguments in dockerfile if instruction == "ENV")


def test_image_copies_every_package(dockerfile):
    packages = {path.parent.name for path in PROJECT.glob("*/__init__.py") if path.parent.name != "tests"}
    copied = set()
    for instruction, arguments in dockerfile:
        if instruction == "COPY":
            sources = [word for word in shlex.split(arguments) if not word.startswith("--")][:-1]
            copied.update(source.rstrip("/") for source in sources)
    assert packages and packages <= copied, f"not copied into the image: {sorted(packages - copied)}"
