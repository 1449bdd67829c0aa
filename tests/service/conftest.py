import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

import pytest
from fastapi.testclient import TestClient

from eval.served import free_port

# TestClient sends `Host: testserver`; the service answers only the names it trusts
# (SCRUTINY_TRUSTED_HOSTS, loopback by default), so the tests name it too.
os.environ.setdefault("SCRUTINY_TRUSTED_HOSTS", "testserver,127.0.0.1,localhost,::1")


@pytest.fixture(scope="session")
def served_index_path(sample_index_path, tmp_path_factory):
    target = tmp_path_factory.mktemp("served") / "index"
    shutil.copytree(sample_index_path, target)
    (target / ".lock").unlink(missing_ok=True)
    return target


@pytest.fixture(scope="session")
def client(served_index_path):
    """The real app, its lifespan opening the sample index and warming the real model."""
    from indexes import IndexSettings
    from service.app import create_app
    from service.settings import ServiceSettings

    app = create_app(ServiceSettings(index=IndexSettings(index_path=served_index_path)))
    with TestClient(app) as test_client:
        yield test_client


@dataclass
class ServedCopy:
    url: str
    port: int
    index: Path
    process: subprocess.Popen
    log: Path


def serve_sample_copy(sample_index_path: Path, folder: Path, startup_seconds: float = 180) -> ServedCopy:
    """`scrutiny serve` in its own process on a private copy of the sample index and a free
    port, its output in `folder/serve.log`; returns once /health/live answers."""
    index = folder / "index"
    shutil.copytree(sample_index_path, index)
    (index / ".lock").unlink(missing_ok=True)
    log = folder / "serve.log"
    port = free_port()
    project = Path(__file__).resolve().parents[2]
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--index", str(index), "--port", str(port)], stdout=output, stderr=subprocess.STDOUT, cwd=project
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health/live", timeout=1).status_code == 200:
                return ServedCopy(url, port, index, process, log)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text()}")
