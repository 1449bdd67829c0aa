import os
import tempfile
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The service's access keys: never the developer's own file (an empty one: the service is open).
os.environ.setdefault("SCRUTINY_KEYS_FILE", os.path.join(tempfile.mkdtemp(prefix="scrutiny-keys-"), "keys.json"))

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "sample"
SHARED = PROJECT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return corpus


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture
def index_settings(tmp_path):
    from indexes import IndexSettings

    return IndexSettings(index_path=tmp_path / "index")


@pytest.fixture(scope="session")
def sample_index_path(tmp_path_factory) -> Path:
    """An embedded index built once per session from the bundled sample corpus, real model."""
    from indexes import IndexSettings, open_index
    from ingest.pipeline import run_ingest

    path = tmp_path_factory.mktemp("sample-index") / "index"
    with open_index(IndexSettings(index_path=path)) as index:
        summary = run_ingest([str(SAMPLE)], index, show_progress=False)
    assert not summary.failed, summary.failed
    return path


@pytest.fixture
def sample_index_copy(sample_index_path, tmp_path) -> Path:
    """A private copy of the session's sample index, for tests that change it."""
    target = tmp_path / "index"
    shutil.copytree(sample_index_path, target)
    (target / ".lock").unlink(missing_ok=True)
    return target


@pytest.fixture(scope="session")
def dev_index_path(tmp_path_factory, shared_corpus) -> Path:
    """An embedded index of the dev-split documents CI scores (eval/data/ci_dev_documents.txt:
    41 documents from ../shared that hold 73 dev questions), built once per session."""
    from indexes import IndexSettings, open_index
    from ingest.pipeline import run_ingest
    from service.answering.sentence_encoder import store_sentence_vectors, storing_encoder

    listed = (PROJECT / "eval" / "data" / "ci_dev_documents.txt").read_text().split("\n")
    path = tmp_path_factory.mktemp("dev-index") / "index"
    with open_index(IndexSettings(index_path=path)) as index:
        summary = run_ingest([str(shared_corpus / name) for name in listed if name], index, show_progress=False)
        # As a served index keeps them: /search reranks with them, /ask reads them.
        store_sentence_vectors(index, storing_encoder(index.settings.model), log=lambda line: None)
    assert not summary.failed, summary.failed
    return path
