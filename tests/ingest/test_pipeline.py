"""The indexing pipeline end to end, with the real model and the embedded Qdrant engine."""

import functools
import http.server
import io
import json
import shutil
import subprocess
import sys
import threading

import pypdf
import pytest

from indexes import IndexSettings, ScrutinyIndex, SearchFilter, open_index
from ingest.pipeline import delete_sources, run_ingest
from tests.conftest import FIXTURES, SAMPLE

pytestmark = pytest.mark.slow

SEEDS = SAMPLE / "seeds"
SUMMARY_KEYS = {"documents", "chunks", "written", "unchanged", "duplicates", "failed", "seconds", "chunks_per_second"}


def ingest(path, *arguments, **kwargs):
    with open_index(IndexSettings(index_path=path)) as index:
        return run_ingest([str(a) for a in arguments], index, show_progress=False, **kwargs)


def test_sample_corpus_is_indexed_with_citable_chunks(sample_index_path):
    with open_index(IndexSettings(index_path=sample_index_path)) as index:
        documents = list(index.iter_documents())
        assert len(documents) == 10
        assert {d["doc_type"] for d in documents} == {"minutes", "ofsted_report", "news"}
        assert {d["authority"] for d in documents} == {"Medway", "Kent", "West Berkshire"}
        for summary in documents:
            document = index.get_document(summary["document_id"])
            chunks = list(index.iter_chunks(SearchFilter(document_ids=[summary["document_id"]])))
            assert len(chunks) == summary["n_chunks"] > 0
            for chunk in chunks:
                assert document["text"][chunk["start"]:chunk["end"]] == chunk["text"]
                if document["format"] == "pdf":
                    page_start, page_end = document["pages"][chunk["page"] - 1]
                    assert page_start <= chunk["start"] < page_end + 2
        kent = next(d for d in documents if d["title"].startswith("Printed minutes"))
        assert (kent["authority"], kent["body"], kent["date"], kent["doc_type"]) == ("Kent", "Cabinet", "2025-01-30", "minutes")


def test_reingesting_unchanged_files_writes_nothing(sample_index_copy):
    summary = ingest(sample_index_copy, SAMPLE)
    assert summary.written == 0
    assert summary.unchanged == 10
    assert (summary.documents, summary.failed) == (10, [])
    assert SUMMARY_KEYS <= set(summary.as_dict())


def test_a_changed_file_replaces_its_old_chunks(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    index_path = tmp_path / "index"
    first = ingest(index_path, folder)
    target = folder / "002_2f40a0f8002afd2c.txt"
    target.write_text(target.read_text() + "\n\nAddendum: the Commission asked for a further update in March 2016.\n")
    second = ingest(index_path, folder)
    assert second.unchanged == 4 and second.written > 0
    assert second.documents == first.documents == 5
    with open_index(IndexSettings(index_path=index_path)) as index:
        assert index.count_documents() == 5
        record = index.document_for_source(str(target))
        assert "Addendum" in index.get_document(record["document_id"])["text"]
        assert index.count_chunks() == second.chunks


def test_identical_files_are_stored_once_with_both_sources(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    original = SEEDS / "000_432f14c8a3e0f0b6.txt"
    shutil.copy(original, folder / "item.txt")
    shutil.copy(original, folder / "item copy.txt")
    index_path = tmp_path / "index"
    summary = ingest(index_path, folder)
    assert (summary.documents, summary.duplicates) == (1, 1)
    # A third name for the same bytes, in a later run.
    shutil.copy(original, folder / "item again.txt")
    later = ingest(index_path, folder)
    assert (later.written, later.unchanged, later.duplicates) == (0, 2, 1)
    with open_index(IndexSettings(index_path=index_path)) as index:
        record = index.document_for_source(str(folder / "item.txt"))
        assert len(record["sources"]) == 3
        chunks = index.count_chunks()
        assert delete_sources([str(folder / "item.txt"), str(folder / "item copy.txt")], index).deleted == 2
        assert index.count_chunks() == chunks
        delete_sources([str(folder / "item again.txt")], index)
        assert (index.count_documents(), index.count_chunks()) == (0, 0)


def test_files_with_the_same_text_in_other_bytes_are_stored_once(tmp_path):
    """Kent files the same minutes again, re-saved, in the next meeting's pack."""
    folder = tmp_path / "docs"
    folder.mkdir()
    original = SAMPLE / "kent" / "cabinet" / "2025-01-30" / "Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf"
    shutil.copy(original, folder / "Printed minutes.pdf")
    # Bytes after %%EOF change the file's hash, not its text.
    (folder / "Minutes of Previous Meeting.pdf").write_bytes(original.read_bytes() + b"\n% saved again\n")
    index_path = tmp_path / "index"
    summary = ingest(index_path, folder)
    assert (summary.documents, summary.duplicates, summary.failed) == (1, 1, [])
    with open_index(IndexSettings(index_path=index_path)) as index:
        (record,) = list(index.iter_documents())
        assert sorted(record["sources"]) == sorted(str(p) for p in folder.iterdir())
        chunks = index.count_chunks()
    again = ingest(index_path, folder)
    assert (again.written, again.unchanged, again.duplicates) == (0, 2, 0)
    # A third re-saved copy in a later run joins the stored document without being embedded.
    (folder / "Minutes again.pdf").write_bytes(original.read_bytes() + b"\n% and again\n")
    later = ingest(index_path, folder)
    assert (later.written, later.unchanged, later.duplicates, later.documents) == (0, 2, 1, 1)
    assert ingest(index_path, folder).unchanged == 3
    with open_index(IndexSettings(index_path=index_path)) as index:
        assert index.count_chunks() == chunks and index.count_documents() == 1
        assert len(index.document_for_source(str(folder / "Printed minutes.pdf"))["sources"]) == 3


def test_copies_stored_before_text_identity_are_merged(tmp_path):
    from indexes import DocumentRecord
    from ingest.pipeline import merge_same_text_documents

    with open_index(IndexSettings(index_path=tmp_path / "index", dimension=8)) as index:
        for name in ("b/later pack.txt", "a/first.txt"):
            document_id = name.split("/")[0] * 24
            index.put_document(DocumentRecord(document_id, "The same  minutes.\n", [name], {"title": name, "n_chunks": 0}), [])
            index.set_document_fields(document_id, {"text_sha256": None})
        index.put_document(DocumentRecord("c" * 24, "Other minutes.", ["c.txt"], {"n_chunks": 0}), [])
        assert merge_same_text_documents(index) == 1
        kept = index.get_document("a" * 24)
        assert kept["sources"] == ["a/first.txt", "b/later pack.txt"]
        assert index.has_document("b" * 24) is None and index.count_documents() == 2
        assert merge_same_text_documents(index) == 0


def encrypted_pdf(path) -> bytes:
    writer = pypdf.PdfWriter(clone_from=str(path))
    writer.encrypt(user_password="secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_bad_files_are_named_and_nothing_stored_changes(sample_index_copy, tmp_path):
    pdf = next((SAMPLE / "ofsted" / "80522_medway").glob("*.pdf"))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "corrupt.pdf").write_bytes(pdf.read_bytes()[:4000])
    (bad / "encrypted.pdf").write_bytes(encrypted_pdf(pdf))
    (bad / "empty.pdf").write_bytes(b"")
    (bad / "error page.pdf").write_bytes(b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>")
    (bad / "blank.txt").write_text("   \n")
    (bad / "good.txt").write_text("Kent County Council. The Corporate Parenting Panel asked for a report on placement stability.")
    with open_index(IndexSettings(index_path=sample_index_copy)) as index:
        before = (index.count_documents(), index.count_chunks())
        summary = run_ingest([str(bad)], index, show_progress=False)
        reasons = {f["source"].rsplit("/", 1)[-1]: f["reason"] for f in summary.failed}
        assert set(reasons) == {"corrupt.pdf", "encrypted.pdf", "empty.pdf", "error page.pdf", "blank.txt"}
        assert "encrypted" in reasons["encrypted.pdf"]
        assert "HTML" in reasons["error page.pdf"]
        assert "corrupt" in reasons["corrupt.pdf"]
        assert index.count_documents() == before[0] + 1
        assert index.count_chunks() == before[1] + 1


def test_an_interrupted_run_leaves_complete_documents_and_a_rerun_finishes(tmp_path, monkeypatch):
    index_path = tmp_path / "index"
    original_put = ScrutinyIndex.put_document
    calls = {"n": 0}

    def interrupt_on_third_document(self, document, chunks):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original_put(self, document, chunks)

    monkeypatch.setattr(ScrutinyIndex, "put_document", interrupt_on_third_document)
    summary = ingest(index_path, SEEDS, files_per_batch=1)
    assert summary.interrupted
    monkeypatch.setattr(ScrutinyIndex, "put_document", original_put)
    with open_index(IndexSettings(index_path=index_path)) as index:
        stored = list(index.iter_documents())
        assert len(stored) == 2
        for record in stored:
            assert index.count_chunks(SearchFilter(document_ids=[record["document_id"]])) == record["n_chunks"]
    rerun = ingest(index_path, SEEDS)
    assert (rerun.unchanged, rerun.documents, rerun.interrupted) == (2, 5, False)


@pytest.fixture
def local_site():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_urls_are_fetched_and_unreadable_ones_reported(tmp_path, local_site):
    index_path = tmp_path / "index"
    summary = ingest(index_path, f"{local_site}/news_article.html", f"{local_site}/missing.html")
    assert summary.documents == 1
    assert summary.failed == [{"source": f"{local_site}/missing.html", "reason": "unreadable URL: HTTP 404"}]
    with open_index(IndexSettings(index_path=index_path)) as index:
        record = index.document_for_source(f"{local_site}/news_article.html")
        assert (record["doc_type"], record["body"], record["url"]) == ("news", "KentOnline", f"{local_site}/news_article.html")


def run_cli(*arguments):
    return subprocess.run([sys.executable, "-m", "cli.main", *arguments], capture_output=True, text=True, timeout=300)


def test_cli_prints_one_json_summary_and_exit_status_reports_failures(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    result = run_cli("ingest", str(SEEDS / "003_8a0cb2bc54a5f3db.txt"), str(tmp_path / "bad.pdf"), "--index", str(tmp_path / "index"), "--json")
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert SUMMARY_KEYS <= set(summary)
    assert summary["documents"] == 1 and summary["written"] == summary["chunks"] > 0
    assert [f["source"].rsplit("/", 1)[-1] for f in summary["failed"]] == ["bad.pdf"]


def test_cli_stops_at_once_when_the_index_is_held(tmp_path):
    with open_index(IndexSettings(index_path=tmp_path / "index"), purpose="scrutiny serve") as index:
        index.announce(url="http://127.0.0.1:8000")
        result = run_cli("ingest", str(SEEDS), "--index", str(tmp_path / "index"))
    assert result.returncode == 3
    assert "in use by scrutiny serve" in result.stderr and "http://127.0.0.1:8000" in result.stderr
