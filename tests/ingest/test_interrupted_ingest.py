"""Whatever stops an ingest (an exception, Ctrl-C, kill -9), the index afterwards holds only
complete documents, or its leftovers are found by `scrutiny index check` and removed by
`--repair` or by the next run."""

import json
import shutil
import subprocess
import sys
import time

import pytest

from indexes import CommitmentRecord, DocumentRecord, IndexSettings, SearchFilter, SparseVector, open_index
from indexes.backends.edge import EdgeBackend
from ingest.pipeline import run_ingest
from tests.conftest import PROJECT, SAMPLE

SEEDS = SAMPLE / "seeds"


def ingest(path, *arguments, **kwargs):
    with open_index(IndexSettings(index_path=path)) as index:
        return run_ingest([str(a) for a in arguments], index, show_progress=False, **kwargs)


def assert_only_complete_documents(index) -> int:
    """Every chunk and commitment belongs to a stored document whose chunk count is right."""
    found = index.integrity()
    assert found.is_clean, found.counts()
    for record in index.iter_documents():
        assert index.count_chunks(SearchFilter(document_ids=[record["document_id"]])) == record["n_chunks"]
    return index.count_documents()


def fail_on_record_write(monkeypatch, error: BaseException, on_call: int = 3):
    """Make the `on_call`-th document record write raise, after its chunks were upserted."""
    original = EdgeBackend.upsert
    calls = {"documents": 0}

    def upsert(self, collection, points):
        if collection == "documents" and points:
            calls["documents"] += 1
            if calls["documents"] == on_call:
                raise error
        return original(self, collection, points)

    monkeypatch.setattr(EdgeBackend, "upsert", upsert)
    return calls


def test_an_error_between_chunks_and_record_leaves_no_orphan(tmp_path, monkeypatch):
    index_path = tmp_path / "index"
    fail_on_record_write(monkeypatch, RuntimeError("disk full"))
    with pytest.raises(Exception, match="disk full"):
        ingest(index_path, SEEDS, files_per_batch=1)
    monkeypatch.undo()
    with open_index(IndexSettings(index_path=index_path)) as index:
        assert assert_only_complete_documents(index) == 2
    rerun = ingest(index_path, SEEDS)
    assert (rerun.unchanged, rerun.documents, rerun.failed, rerun.orphans_removed) == (2, 5, [], 0)


def test_ctrl_c_between_chunks_and_record_leaves_no_orphan_and_counts_what_landed(tmp_path, monkeypatch):
    index_path = tmp_path / "index"
    # Four files in one batch: the third record's write is interrupted mid-batch.
    fail_on_record_write(monkeypatch, KeyboardInterrupt())
    summary = ingest(index_path, SEEDS, files_per_batch=16)
    monkeypatch.undo()
    assert summary.interrupted
    with open_index(IndexSettings(index_path=index_path)) as index:
        assert assert_only_complete_documents(index) == 2
        # `written` is what landed: the two complete documents' chunks, not 0.
        assert summary.written == index.count_chunks() > 0
    rerun = ingest(index_path, SEEDS)
    assert (rerun.unchanged, rerun.documents, rerun.interrupted) == (2, 5, False)


def test_index_check_finds_orphans_and_repair_removes_them(tmp_path):
    with open_index(IndexSettings(index_path=tmp_path / "index", dimension=8)) as index:
        index.put_document(DocumentRecord("a" * 24, "Minutes of the meeting.", ["a.txt"], {"n_chunks": 0}), [])
        # What the old writer left after Ctrl-C, and a delete stopped after the record went.
        index.put_commitments("c" * 24, [CommitmentRecord("c" * 24, 0, 5, "quote", SparseVector([1], [1.0]))])
        index.put_commitments("a" * 24, [CommitmentRecord("a" * 24, 0, 7, "Minutes", SparseVector([1], [1.0]))])
        index.set_document_fields("a" * 24, {"n_chunks": 2})
        found = index.integrity()
        assert found.counts() == {
            "documents": 1, "orphan_chunks": 0, "orphan_commitments": 1, "orphan_documents": 1, "incomplete_documents": 1,
        }
        index.repair()
        assert index.integrity().is_clean and index.count_documents() == 0
        assert sum(1 for _ in index.iter_commitments()) == 0


KILLED_INGEST = """
import sys, time
from indexes.backends.edge import EdgeBackend

original = EdgeBackend.upsert
seen = {"chunks": 0}

def upsert(self, collection, points):
    original(self, collection, points)
    if collection == "chunks" and points:
        seen["chunks"] += 1
        if seen["chunks"] == 2:
            # The second document's chunks are on disk, its record is not: wait to be killed.
            self.flush()
            open(sys.argv[1], "w").write("chunks written")
            time.sleep(600)

EdgeBackend.upsert = upsert
from cli.main import main
sys.exit(main(["ingest", *sys.argv[2:]]))
"""


def run_cli(*arguments):
    return subprocess.run([sys.executable, "-m", "cli.main", *arguments], capture_output=True, text=True, timeout=300, cwd=PROJECT)


@pytest.mark.slow
def test_kill_9_during_writing_is_found_by_index_check_and_cleaned_by_repair_or_the_next_run(tmp_path):
    index_path = tmp_path / "index"
    marker = tmp_path / "marker"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_INGEST, str(marker), str(SEEDS), "--index", str(index_path)],
        cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert process.poll() is None, "the ingest ended before it was killed"
            assert time.monotonic() < deadline, "the ingest never reached its second document"
            time.sleep(0.2)
    finally:
        process.kill()  # SIGKILL: no handler, no finally, no flush
        process.wait()
    assert process.returncode == -9
    shutil.copytree(index_path, tmp_path / "second")

    check = run_cli("index", "check", "--index", str(index_path), "--json")
    assert check.returncode == 1, check.stderr
    report = json.loads(check.stdout)
    assert (report["documents"], report["orphan_documents"]) == (1, 1) and report["orphan_chunks"] > 0
    repair = run_cli("index", "check", "--repair", "--index", str(index_path), "--json")
    assert repair.returncode == 0 and json.loads(repair.stdout)["repaired"]
    assert run_cli("index", "check", "--index", str(index_path)).returncode == 0
    with open_index(IndexSettings(index_path=index_path)) as index:
        assert assert_only_complete_documents(index) == 1

    # The other copy is cleaned by the next ingest itself, which then finishes the batch.
    orphans = report["orphan_chunks"]
    rerun = ingest(tmp_path / "second", SEEDS)
    assert (rerun.orphans_removed, rerun.unchanged, rerun.documents, rerun.failed) == (orphans, 1, 5, [])
    with open_index(IndexSettings(index_path=tmp_path / "second")) as index:
        assert assert_only_complete_documents(index) == 5
