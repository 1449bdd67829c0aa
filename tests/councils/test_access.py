"""Access levels: the exemption markings of council papers, and the level every stored
document, chunk and commitment carries (--access > sidecar > folder rule > markings)."""

import json
import shutil

import pytest

from councils.access import check_level, looks_exempt
from indexes import ChunkRecord, CommitmentRecord, DocumentRecord, IndexSettings, SearchFilter, SparseVector, open_index
from ingest.components.metadata_enricher import classify_access
from ingest.pipeline import refresh_access, run_ingest
from tests.conftest import SAMPLE

SEED_MINUTES = SAMPLE / "seeds" / "000_432f14c8a3e0f0b6.txt"  # minutes with commitments


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Confidential appendix A - placement costs", "Costs by provider."),
        ("Item 9", "CONFIDENTIAL\n\nReport to the Cabinet Member for Integrated Children's Services"),
        ("Item 12", "PART 2 – EXEMPT ITEMS\n\nContract award for residential care"),
        ("Minutes", "Part II\n\nMinutes of the closed session"),
        ("Contract award", "NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A of the Local Government Act 1972"),
        ("Report", "This report contains exempt information.\n\nSummary"),
        ("Report", "Key decision: Yes\nExempt information: Yes - paragraph 3"),
        ("Part 2 of the agenda", ""),
    ],
)
def test_exemption_markings_are_recognised(title, text):
    assert looks_exempt(title, text)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Whistleblowing", "Members noted that staff could use the council's confidential reporting line."),
        ("Confidential Reporting Code annual report", "The code was used twice this year."),
        ("Report", "Key decision: No\nExempt information: No"),
        ("Report", "Confidential: No"),
        ("Legal duties", "Part 2 of the Children Act 1989 sets out the council's duties."),
        ("Minutes", "RESOLVED that the press and public be excluded as the item involves the likely disclosure of exempt information."),
        ("Minutes", "The Committee noted that the appendix was not for publication."),
        ("Children in care", "Confidentiality and data sharing were discussed."),
        ("Minutes", "x" * 2000 + "\nCONFIDENTIAL"),  # beyond the front sheet
    ],
)
def test_running_text_is_not_a_marking(title, text):
    assert not looks_exempt(title, text)


def test_only_council_papers_are_classified_and_levels_are_checked():
    assert classify_access("minutes", "Item 9", "CONFIDENTIAL\n\nReport") == "restricted"
    assert classify_access("report", "Item 9", "Plain report") == "public"
    assert classify_access("news", "Leaked", "CONFIDENTIAL\n\nA report seen by the BBC") == "public"
    assert check_level(" Members ") == "members"
    with pytest.raises(ValueError, match="not an access level"):
        check_level("secret")


def levels(index) -> dict[str, tuple[str, set, set]]:
    """File name -> (document level, chunk levels, commitment levels)."""
    found = {}
    for record in index.iter_documents():
        select = SearchFilter(document_ids=[record["document_id"]])
        chunks = {c.get("access") for c in index.iter_chunks(select)}
        commitments = {c.get("access") for c in index.iter_commitments(select)}
        for source in record["sources"]:
            found[source.rsplit("/", 1)[-1]] = (record["access"], chunks, commitments - {None} or commitments)
    return found


def test_levels_come_from_the_flag_sidecar_folder_rule_or_markings_and_change_on_reingest(tmp_path):
    folder = tmp_path / "papers"
    (folder / "members only").mkdir(parents=True)
    minutes = SEED_MINUTES.read_text()
    (folder / "plain.txt").write_text(minutes)
    (folder / "marked.txt").write_text("CONFIDENTIAL\n\n" + minutes.replace("Medway", "Kent"))
    (folder / "given.txt").write_text(minutes.replace("Medway", "Swale"))
    (folder / "manifest.jsonl").write_text(json.dumps({"file": "given.txt", "access": "restricted", "doc_type": "minutes"}) + "\n")
    (folder / "members only" / ".scrutiny-access").write_text("members\n")
    (folder / "members only" / "draft.txt").write_text(minutes.replace("Medway", "Dover"))
    index_path = tmp_path / "index"
    with open_index(IndexSettings(index_path=index_path)) as index:
        summary = run_ingest([str(folder)], index, show_progress=False)
        assert summary.failed == [] and summary.documents == 4
        found = levels(index)
        assert found["plain.txt"] == ("public", {"public"}, {"public"})
        assert found["marked.txt"] == ("restricted", {"restricted"}, {"restricted"})
        assert found["given.txt"] == ("restricted", {"restricted"}, {"restricted"})
        assert found["draft.txt"] == ("members", {"members"}, {"members"})
        marked = index.get_document(index.document_for_source(str(folder / "marked.txt"))["document_id"])
        assert marked["access_source"] == "detected"

        # Same bytes, another --access: every level changes, nothing is embedded again.
        again = run_ingest([str(folder)], index, show_progress=False, access="members")
        assert (again.written, again.unchanged, again.relabelled) == (0, 4, 3)
        assert all(v == ("members", {"members"}, {"members"}) for v in levels(index).values())

        # A run without the flag: the sidecar and folder rule apply again; a paper given no
        # level keeps the one it has (never made public by a run that says nothing).
        assert run_ingest([str(folder)], index, show_progress=False).relabelled == 1
        found = levels(index)
        assert (found["given.txt"][0], found["draft.txt"][0], found["plain.txt"][0], found["marked.txt"][0]) == (
            "restricted", "members", "members", "members",
        )


def test_a_bad_folder_rule_refuses_its_files(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ".scrutiny-access").write_text("top secret")
    shutil.copy(SEED_MINUTES, tmp_path / "docs" / "paper.txt")
    with open_index(IndexSettings(index_path=tmp_path / "index")) as index:
        summary = run_ingest([str(tmp_path / "docs")], index, show_progress=False)
    (failure,) = summary.failed
    assert failure["source"].endswith("paper.txt") and ".scrutiny-access" in failure["reason"]
    assert summary.documents == 0


def test_documents_stored_before_levels_are_given_one_without_reembedding(tmp_path):
    sparse = SparseVector([1], [1.0])
    with open_index(IndexSettings(index_path=tmp_path / "index", dimension=4)) as index:
        for document_id, title, text in (("a" * 24, "Item 7", "PART 2 - EXEMPT ITEMS\n\nThe contract."), ("b" * 24, "Item 8", "The plan.")):
            index.put_document(
                DocumentRecord(document_id, text, [f"{document_id}.txt"], {"doc_type": "minutes", "title": title, "n_chunks": 1}),
                [ChunkRecord(document_id, 0, text, 0, len(text), [0.5, 0.5, 0.5, 0.5], sparse)],
            )
            index.put_commitments(document_id, [CommitmentRecord(document_id, 0, 4, text[:4], sparse)])
        assert {c.get("access") for c in index.iter_chunks()} == {None}
        assert refresh_access(index) == 2
        assert index.get_document("a" * 24)["access"] == "restricted" and index.get_document("b" * 24)["access"] == "public"
        assert {(c["document_id"][0], c["access"]) for c in index.iter_chunks()} == {("a", "restricted"), ("b", "public")}
        assert {(c["document_id"][0], c["access"]) for c in index.iter_commitments()} == {("a", "restricted"), ("b", "public")}
        assert refresh_access(index) == 0


def test_an_edited_paper_keeps_a_stricter_level_nobody_withdrew(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    minutes = SEED_MINUTES.read_text()
    (folder / "settlement.txt").write_text(minutes.replace("Medway", "Kent"))
    (folder / "ordinary.txt").write_text(minutes)
    with open_index(IndexSettings(index_path=tmp_path / "index")) as index:
        run_ingest([str(folder / "settlement.txt")], index, show_progress=False, access="restricted")
        run_ingest([str(folder / "ordinary.txt")], index, show_progress=False)
        for name in ("settlement.txt", "ordinary.txt"):
            (folder / name).write_text((folder / name).read_text() + "\n\nCorrection: the figure is 85,000 pounds.")
        summary = run_ingest([str(folder)], index, show_progress=False)  # edited, and no level given
        assert summary.failed == [] and summary.written > 0
        found = levels(index)
        # The paper ingested as restricted stays restricted in its new version, chunks and commitments too...
        assert found["settlement.txt"] == ("restricted", {"restricted"}, {"restricted"})
        record = index.get_document(index.document_for_source(str(folder / "settlement.txt"))["document_id"], with_text=False)
        assert record["access_source"].startswith("kept from the earlier version")
        # ...while an edited public paper is judged afresh (still public: it carries no marking).
        assert found["ordinary.txt"][0] == "public"
