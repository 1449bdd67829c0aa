"""Hostile files (issue 11): each is refused by name within its cap, the rest of the batch
carries on, and the documents already stored are byte-for-byte unchanged."""

import json
import os
import resource
import time
import zlib

import pytest

from indexes import DocumentRecord, IndexSettings, open_index
from ingest.components.metadata_enricher import MetadataEnricher
from ingest.extract.pdf import extract_pdf_pages
from ingest.limits import IngestLimits, LimitExceededError
from ingest.pipeline import run_ingest
from tests.conftest import SAMPLE

GOOD_TEXT = "Kent County Council. The Corporate Parenting Panel asked for a report on placement stability in March."
DRAW_LINE = b"BT /F1 10 Tf 72 700 Td (The council agreed the plan for children in care.) Tj ET\n"
MB = 1024 * 1024


def make_pdf(content_mb: float = 0.0, pages: int = 1, repeat: bytes = DRAW_LINE) -> bytes:
    """A valid PDF whose pages all draw one Flate content stream of `content_mb` MB (at least
    one line): at 400 MB it is the 1.4 MB decompression bomb of the finding."""
    compressor = zlib.compressobj(9)
    block = repeat * (MB // len(repeat))
    stream = b"".join(compressor.compress(block) for _ in range(int(content_mb))) if content_mb >= 1 else compressor.compress(repeat)
    stream += compressor.flush()
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        *(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 {4 + pages} 0 R >> >> >>".encode()
            for _ in range(pages)
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def snapshot(index) -> dict:
    """Every stored payload, whole, by collection and point order-independent."""
    found = {}
    for collection in ("documents", "chunks", "commitments"):
        records, offset = [], None
        while True:
            page, offset = index.backend.scroll(collection, None, 1000, offset, None)
            records += page
            if offset is None:
                break
        found[collection] = sorted(json.dumps(r, sort_keys=True) for r in records)
    return found


def reasons_by_name(summary) -> dict[str, str]:
    return {f["source"].rsplit("/", 1)[-1]: f["reason"] for f in summary.failed}


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    manifest = [
        {"file": "month only.txt", "date": "March 2020", "authority": "Kent County Council"},
        {"file": "impossible date.txt", "date": "2020-13-45"},
        {"file": "script link.txt", "url": "javascript:alert(document.cookie)"},
        {"file": "secret level.txt", "access": "secret"},
        {"file": "memo.txt", "doc_type": "memo"},
        {"file": "good.txt", "date": "2024-03-05", "url": "https://democracy.kent.gov.uk/mgAi.aspx?ID=1"},
    ]
    (folder / "manifest.jsonl").write_text("\n".join(json.dumps(line) for line in manifest) + "\n")
    for line in manifest:
        (folder / line["file"]).write_text(f"{GOOD_TEXT} ({line['file']})")
    # 64 KB of random bytes without NUL bytes (a NUL alone gives binary away), named .txt.
    (folder / "random.txt").write_bytes(bytes(b % 255 + 1 for b in os.urandom(64 * 1024)))
    (folder / "nul.txt").write_bytes(b"Minutes\x00\x01\x02" * 100)
    (folder / "bomb.pdf").write_bytes(make_pdf(400))
    (folder / "pages.pdf").write_bytes(make_pdf(pages=2001))
    (folder / "huge.html").write_text("<html><body>" + "<p>The committee noted the report on care leavers.</p>" * 400_000 + "</body></html>")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "etc").symlink_to("/etc")
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    return folder


def test_hostile_files_are_refused_by_name_and_stored_documents_do_not_change(sample_index_copy, hostile):
    assert len((hostile / "bomb.pdf").read_bytes()) < 2 * MB
    with open_index(IndexSettings(index_path=sample_index_copy)) as index:
        before = snapshot(index)
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        summary = run_ingest([str(hostile)], index, show_progress=False)
        seconds = time.perf_counter() - started
        peak_grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
        after = snapshot(index)
        reasons = reasons_by_name(summary)
        assert reasons == {
            "month only.txt": "manifest field date: 'March 2020' is not a date (expected YYYY-MM-DD)",
            "impossible date.txt": "manifest field date: '2020-13-45' is not a date (expected YYYY-MM-DD)",
            "script link.txt": "manifest field url: 'javascript:alert(document.cookie)' is not an http(s) URL",
            "secret level.txt": reasons["secret level.txt"],
            "memo.txt": reasons["memo.txt"],
            "random.txt": reasons["random.txt"],
            "nul.txt": reasons["nul.txt"],
            "bomb.pdf": reasons["bomb.pdf"],
            "pages.pdf": "over the 2000-page limit (2001 pages)",
            "huge.html": reasons["huge.html"],
            "passwd.txt": f"symbolic link to /etc/passwd, outside {hostile.resolve()}: not followed",
            "etc": f"symbolic link to /etc, outside {hostile.resolve()}: not followed",
        }
        assert reasons["secret level.txt"].startswith("manifest field access: 'secret'")
        assert reasons["memo.txt"].startswith("manifest field doc_type: 'memo'")
        assert reasons["random.txt"].startswith("not text: ") and reasons["nul.txt"].startswith("not text: ")
        assert reasons["bomb.pdf"] == "over the 8388608-byte limit of decompressed content on one page (page 1)"
        assert reasons["huge.html"].startswith("over the 5000000-character limit")
        # Refused within their caps: no 400 MB page parsed, no minutes on a 20 MB page.
        assert peak_grew_mb < 300, f"peak memory grew by {peak_grew_mb:.0f} MB"
        assert seconds < 60
        # The one good file (and the link to it from inside the folder) is stored, once.
        assert summary.documents == 1 and summary.written > 0
        record = index.document_for_source(str(hostile / "good.txt"))
        assert (record["date"], record["url"], record["access"]) == ("2024-03-05", "https://democracy.kent.gov.uk/mgAi.aspx?ID=1", "public")
        stored_sources = [s for d in index.iter_documents() for s in d["sources"]]
        assert not any(s.endswith(("passwd.txt", "passwd")) for s in stored_sources)
        # Everything stored before is exactly as it was; only the good document was added.
        for collection in ("documents", "chunks", "commitments"):
            assert set(before[collection]) <= set(after[collection])
        assert len(after["documents"]) == len(before["documents"]) + 1
        assert not any("javascript:" in r for r in after["documents"] + after["chunks"])


def test_a_later_ingest_survives_a_bad_date_stored_before_validation(sample_index_copy, tmp_path):
    """The "2020-13-45" finding: a record stored by an older version must not stop the
    commitments step of every later run; it is skipped and named."""
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT)
    with open_index(IndexSettings(index_path=sample_index_copy)) as index:
        index.put_document(
            DocumentRecord("b" * 24, "Minutes. The Director undertook to report back in March.", ["/old/bad date.txt"],
                           {"doc_type": "minutes", "date": "2020-13-45", "title": "Old minutes", "n_chunks": 0, "access": "public",
                            "ofsted": None}),
            [],
        )
        summary = run_ingest([str(good)], index, show_progress=False)
        assert summary.documents == 1 and summary.written > 0
        (failure,) = summary.failed
        assert failure["source"] == "/old/bad date.txt" and "commitments refresh" in failure["reason"]
        # Other minutes' commitments are still there.
        assert sum(1 for _ in index.iter_commitments()) > 0


def test_the_enricher_never_stores_a_bad_date_or_link_given_by_hand():
    from haystack import Document

    document = Document(
        content=GOOD_TEXT,
        meta={"source": "/x/report.txt", "format": "text", "sidecar": {"date": "2020-13-45", "url": "javascript:alert(1)"}},
    )
    meta = MetadataEnricher().run(documents=[document])["documents"][0].meta
    assert meta["date"] is None and meta["url"] is None


@pytest.mark.parametrize(
    ("name", "content", "limits", "reason"),
    [
        ("long.txt", GOOD_TEXT * 20, IngestLimits(max_chars=1000), "over the 1000-character limit"),
        ("big.txt", GOOD_TEXT * 20, IngestLimits(max_file_bytes=1000), "over the 1000-byte file size limit"),
        ("many chunks.txt", "\n\n".join(f"{n}. {GOOD_TEXT} " * 3 for n in range(1, 40)), IngestLimits(max_chunks=3), "over the 3-chunk limit"),
    ],
)
def test_each_text_limit_refuses_the_file_by_name(tmp_path, name, content, limits, reason):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / name).write_text(content)
    (tmp_path / "docs" / "short.txt").write_text(GOOD_TEXT)
    with open_index(IndexSettings(index_path=tmp_path / "index")) as index:
        summary = run_ingest([str(tmp_path / "docs")], index, show_progress=False, limits=limits)
        assert reasons_by_name(summary)[name].startswith(reason)
        assert summary.documents == 1 and index.count_documents() == 1
        assert index.count_chunks() == summary.chunks


def test_a_real_pdf_over_a_lowered_page_limit_is_refused_and_the_default_allows_it():
    pdf = next((SAMPLE / "ofsted" / "80522_medway").glob("*.pdf")).read_bytes()
    assert len(extract_pdf_pages(pdf)) > 3
    with pytest.raises(LimitExceededError, match="over the 3-page limit"):
        extract_pdf_pages(pdf, limits=IngestLimits(max_pages=3))
    assert IngestLimits().max_pages == 2000


def test_limits_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("SCRUTINY_INGEST_MAX_PAGES", "7")
    assert IngestLimits().max_pages == 7


def test_a_slow_page_is_stopped_at_the_seconds_limit(tmp_path):
    # 2 MB of content on each of 400 pages: under every size cap, minutes of parsing.
    (tmp_path / "slow.pdf").write_bytes(make_pdf(2, pages=400))
    (tmp_path / "short.txt").write_text(GOOD_TEXT)
    with open_index(IndexSettings(index_path=tmp_path / "index")) as index:
        started = time.perf_counter()
        summary = run_ingest([str(tmp_path)], index, show_progress=False, limits=IngestLimits(max_seconds=1))
        assert time.perf_counter() - started < 30
        assert reasons_by_name(summary) == {"slow.pdf": "over the 1-second limit"}
        assert summary.documents == 1


def test_a_symlink_inside_the_folder_or_named_explicitly_is_read(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "paper.txt").write_text(GOOD_TEXT)
    (folder / "alias.txt").symlink_to(folder / "sub" / "paper.txt")
    outside = tmp_path / "outside.txt"
    outside.write_text(GOOD_TEXT + " Outside the folder.")
    named = tmp_path / "named link.txt"
    named.symlink_to(outside)
    with open_index(IndexSettings(index_path=tmp_path / "index")) as index:
        summary = run_ingest([str(folder), str(named)], index, show_progress=False)
        assert summary.failed == [] and summary.documents == 2
        assert index.document_for_source(str(outside)) is not None


def test_odd_file_names_and_a_fifo_fail_by_name_and_the_rest_is_ingested(tmp_path):
    # Found by review: a non-UTF-8 name crashed the whole run; a FIFO named .txt hung it.
    import os

    from indexes import IndexSettings, open_index
    from ingest.pipeline import run_ingest
    from tests.conftest import SAMPLE

    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "good.txt").write_text((SAMPLE / "seeds" / "000_432f14c8a3e0f0b6.txt").read_text())
    with open(os.path.join(os.fsencode(folder), b"bad\xffname.txt"), "wb") as handle:
        handle.write(b"Some minutes about caseloads.")
    os.mkfifo(folder / "fifo.txt")
    with open_index(IndexSettings(index_path=tmp_path / "index")) as index:
        summary = run_ingest([str(folder)], index, show_progress=False)
    reasons = {failure["source"].rsplit("/", 1)[-1]: failure["reason"] for failure in summary.failed}
    assert reasons == {"bad\\xffname.txt": "file name is not valid UTF-8; rename the file", "fifo.txt": "not a regular file"}
    assert summary.documents == 1
