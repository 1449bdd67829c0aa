"""Chunk boundaries on the seeds and real PDFs: every chunk an exact span, one exchange each."""

import pytest

from councils.text import sentence_spans
from ingest.chunking import chunk_spans
from ingest.extract.pdf import extract_pdf_pages
from ingest.extract.text import extract_text
from tests.conftest import SAMPLE

SEEDS = SAMPLE / "seeds"


def seed(name: str) -> str:
    return extract_text((SEEDS / name).read_bytes())


def chunk_texts(text: str, doc_type: str) -> list[str]:
    return [text[s.start:s.end] for s in chunk_spans(text, doc_type)]


def test_medway_minutes_split_at_each_question_and_answer_bullet():
    texts = chunk_texts(seed("000_432f14c8a3e0f0b6.txt"), "minutes")
    nfa = [t for t in texts if "no further action" in t]
    assert len(nfa) == 1
    assert nfa[0].startswith("· Rate of assessment closed with no further action")
    assert nfa[0].endswith("Analysis on this would be reported back once known.")
    acronyms = [t for t in texts if t.startswith("· Acronyms")]
    assert len(acronyms) == 1 and "Director undertook to address this" in acronyms[0]
    assert not any("Rate of assessment" in t and "Membership of the Improvement Board" in t for t in texts)


def test_kent_minutes_split_at_lettered_paragraphs():
    texts = chunk_texts(seed("001_3c732ac89b803ef9.txt"), "minutes")
    starts = [t[:3] for t in texts]
    for letter in "abcdef":
        assert sum(s.startswith(f"{letter})") for s in starts) <= 1
    assert any(t.startswith("2.") and "RESOLVED" in t for t in texts)


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_chunks_are_exact_spans_within_the_model_window(name):
    text = seed(name)
    spans = chunk_spans(text, "news" if name.startswith("004") else "minutes")
    assert spans
    for span in spans:
        piece = text[span.start:span.end]
        assert piece == piece.strip() and piece
        assert len(piece.split()) <= 170
    # Chunks cover the document in order without overlapping.
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_ofsted_paragraphs_keep_their_section_heading():
    pages = extract_pdf_pages((SAMPLE / "ofsted" / "80522_medway" / "children's services inspection - 27 august 2019.pdf").read_bytes())
    text = "\n\n".join(pages)
    spans = chunk_spans(text, "ofsted_report")
    numbered = [s for s in spans if "1. A significant increase in referrals" in text[s.start:s.end]]
    assert len(numbered) == 1
    passage = text[numbered[0].start:numbered[0].end]
    # The section heading opens the passage of the paragraph that follows it; the next numbered
    # paragraph starts a passage of its own.
    assert passage.startswith("The experiences and progress of children who need help and protection")
    assert "2. Risks for some children" not in passage
    assert numbered[0].section == "The experiences and progress of children who need help and protection: inadequate"
    assert all(len(text[s.start:s.end].split()) <= 170 for s in spans)


def test_long_paragraphs_are_cut_at_sentence_ends():
    sentence = "The committee noted the report on caseloads and asked for more detail. "
    text = sentence * 40
    spans = chunk_spans(text.strip(), "report", max_words=60, min_words=10)
    assert len(spans) > 1
    for span in spans:
        assert text[span.start:span.end].endswith("detail.")


def test_sentence_ends_skip_honorifics():
    text = "Mr. Stevenson introduced the report. Mr Segurola added that parameters were the same."
    sentences = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert sentences[-1] == "Mr Segurola added that parameters were the same."


def test_a_heading_run_on_into_a_numbered_paragraph_is_its_own_sentence():
    text = (
        "The impact of leaders on social work practice with children and families: requires improvement to be good "
        "34.Since the last inspection in 2016, the quality of services has not been maintained. It cost £4.5m in 2019, see 3.2 above."
    )
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    assert sentences == [
        "The impact of leaders on social work practice with children and families: requires improvement to be good",
        "34.Since the last inspection in 2016, the quality of services has not been maintained.",
        "It cost £4.5m in 2019, see 3.2 above.",
    ]


def test_a_sentence_runs_on_across_a_page_break_but_a_paragraph_break_still_ends_one():
    text = (
        "There is a good range of accommodation. Homeless 16- and 17-year-olds are informed\n\n"
        "of their rights to choose. However, assessments are limited.\n\n"
        "Recommendations\n\nThe local authority should act.\n\nIt ended here.\n\nand a stray line\n\nSummary:\n\nfoster carers\n\n"
        "Cabinet is asked to note the forecast overspend of £23.3m\n\nb) agree the plan\n\nii. agree the second"
    )
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    # Words that do not end a sentence, then lower case after the blank line: a page break.
    assert "Homeless 16- and 17-year-olds are informed\n\nof their rights to choose." in sentences
    # After a full stop or a colon, or before a capital, the blank line ends what came before.
    assert sentences[3:9] == ["Recommendations", "The local authority should act.", "It ended here.", "and a stray line", "Summary:", "foster carers"]
    # A lettered or numbered item after the blank line starts afresh.
    assert sentences[9:] == ["Cabinet is asked to note the forecast overspend of £23.3m", "b) agree the plan", "ii. agree the second"]
