"""The real server process: `scrutiny serve` on a free port, and `scrutiny ingest` meeting it."""

import json
import shutil
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import SAMPLE
from tests.service.conftest import serve_sample_copy

pytestmark = pytest.mark.slow


@pytest.fixture
def running_server(sample_index_path, tmp_path):
    served = serve_sample_copy(sample_index_path, tmp_path)
    yield served.url, served.index
    served.process.terminate()
    served.process.wait(timeout=30)


def test_server_answers_over_http(running_server):
    url, _ = running_server
    body = httpx.post(f"{url}/ask", json={"question": "What did the director promise on NFA rates?"}, timeout=30).json()
    assert body["abstained"] is False and "no further action" in body["answer"]
    assert httpx.get(f"{url}/search", params={"q": "x", "k": 0}, timeout=30).status_code == 422


def test_ingest_stops_at_once_while_the_server_holds_the_index(running_server):
    url, index = running_server
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "cli.main", "ingest", str(SAMPLE / "seeds"), "--index", str(index)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 3
    assert url in result.stderr and "scrutiny serve" in result.stderr
    assert time.monotonic() - started < 60
    health = httpx.get(f"{url}/health", timeout=30).json()
    assert health["documents"] == 10


def test_cli_json_is_the_api_body(running_server, sample_index_path, tmp_path):
    url, _ = running_server
    other = tmp_path / "cli-index"
    shutil.copytree(sample_index_path, other)
    (other / ".lock").unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "search", "update report in December", "--authority", "West Berkshire", "--k", "3", "--index", str(other), "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    api = httpx.get(f"{url}/search", params={"q": "update report in December", "authority": "West Berkshire", "k": 3}, timeout=30).json()
    assert json.loads(result.stdout) == api
