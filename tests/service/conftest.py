import os
import shutil

import pytest
from fastapi.testclient import TestClient

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
