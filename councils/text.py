"""Units of stored text that both ingest (chunking) and the service (quoting) cut at: sentences and paragraphs."""

import bisect
import re
from collections.abc import Sequence

# The glyphs that open a list item in council papers and Ofsted reports: the printed ones, and
# the private-use characters of symbol-font bullets a PDF did not map to Unicode.
PRINTED_BULLETS = "·•◼▪■●◦○"
BULLETS = PRINTED_BULLETS + "\uf06e\uf0a7\uf0b7"

# Sentence ends: punctuation, optional closing quote or bracket, space, then a capital, digit,
# opening quote or bullet. Abbreviations common in minutes are not ends. The abbreviations are
# looked for behind the punctuation once it has matched, not at every character: the same cuts
# (all 49,892 passages of the shared corpus), a third of the time.
SENTENCE_END = re.compile(
    r"[.!?](?<!\bMr[.!?])(?<!\bMrs[.!?])(?<!\bMs[.!?])(?<!\bDr[.!?])(?<!\bCllr[.!?])(?<!\bNo[.!?])(?<!\bie[.!?])(?<!\beg[.!?])(?<!\bSt[.!?])"
    rf"[”’\"')\]]?\s+(?=[A-Z0-9“‘\"'({BULLETS}])"
)


# A numbered paragraph's number glued to its first word ("... to be good 34.Since the last
# inspection"): a heading run on into the paragraph on one line, which the number ends.
NUMBERED_PARAGRAPH_START = re.compile(r"(?<=[a-z)])\s+(?=\d{1,3}\.[A-Z][a-z])")
# The labelled fields of a report's cover sheet, which PDF text runs together on one line ("By:
# Anna Taylor, Scrutiny Research Officer To: Cabinet - 4 March 2025 Subject: ... Summary: ..."):
# each field is a statement of its own, not one sentence with the others. "By:" is left out: a
# sheet opens with it, and within a line it ends another label ("Funded By:" in finance tables).
COVER_FIELD = re.compile(
    r"(?:From|To|Subject|Summary|Classification|Status|Author|Decision (?:[Nn]o\.?|Number)|"
    r"(?:Past|Previous|Future) Pathway(?: of (?:[Pp]aper|[Rr]eport))?|Electoral Divisions?|Key [Dd]ecision|"
    r"Recommendations?)\s?:\s"
)
COVER_FIELD_START = re.compile(rf"(?<=\S)\s+(?={COVER_FIELD.pattern})")
_CUT = re.compile(f"{SENTENCE_END.pattern}|{NUMBERED_PARAGRAPH_START.pattern}|{COVER_FIELD_START.pattern}")

# The number that opens a numbered paragraph or item ("34.Since", "(4) Recommend", "14) Mr",
# "5. A review", "2.23 The", "2.4The", "1.2.4 The"), or stands alone as a "sentence" ("41."):
# layout, not words a quote needs, nor a figure. A bare number is a count ("12 Children's
# homes"; so an Ofsted footnote's marker, "2 The local authority was given ...", reads as one); a
# decimal before a lower-case word, an abbreviation or nothing is a figure ("1.5 million", "4.5
# FTE", "18.5"), so "2.1 NHS England" keeps its number too.
PARAGRAPH_NUMBER = re.compile(
    r"\s*(?:(?:\d{1,3}(?:\.\d{1,3})*\.|\(\d{1,3}\)|\d{1,3}\))(?=\s*(?:[“‘\"']?[A-Z]|$))"
    r"|\d{1,3}(?:\.\d{1,3})+(?=\s*[“‘\"']?[A-Z][a-z]|\s+[“‘\"']?[A-Z]\s))\s*"
)
# A lettered or numbered item of a list run on into the text ("£0.2m. B) New Homes Bonus").
_ITEM_START = re.compile(r"\(?[A-Za-z]\)\s")

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A blank line inside a sentence: a page or column break in a PDF ("Homeless 16- and 17-year-olds
# are informed\n\nof their rights ..."). The words before it do not end a sentence and the words
# after it go on in lower case (not as a new lettered item), so the sentence runs on across it.
# Lettered or roman-numbered items ("a) note the forecast ...", "ii. agree ...") start afresh.
_LIST_MARKER = re.compile(r"\(?(?:[a-z]|[ivx]{1,4})[).]\s")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as absolute (start, end) spans, trimmed of white space.
    A paragraph break ends a sentence (headings and labels stand alone), unless the sentence
    runs on across it in lower case (a page break)."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    position = start
    for match in PARAGRAPH_BREAK.finditer(text, start, end):
        if _runs_on(text, match):
            continue
        spans.extend(_sentences_in(text, position, match.start()))
        position = match.end()
    spans.extend(_sentences_in(text, position, end))
    return spans


def page_at(pages: Sequence[Sequence[int]] | None, offset: int) -> int | None:
    """The number (from 1) of the page that holds `offset` in a document's text, given each page's
    (start, end) in it; the separator after a page belongs to that page. None without pages or
    before the first."""
    number = bisect.bisect_right(pages, offset, key=lambda page: page[0]) if pages else 0
    return number or None


def without_paragraph_number(text: str, start: int, end: int) -> int:
    """Where the words of text[start:end] begin, after a paragraph number that opens it; `end`
    when the span is nothing but a number."""
    number = PARAGRAPH_NUMBER.match(text, start, end)
    return number.end() if number else start


def words_start(text: str, start: int, end: int) -> int:
    """Where the words of text[start:end] begin: after the bullet that opens a list item ("• ",
    "◼ ") and the paragraph number after it ("• 4.2 The Council"); `end` when the span holds
    nothing else. An opening quotation mark is a word's, and stays."""
    position = start
    while position < end and (text[position] in BULLETS or text[position].isspace()):
        position += 1
    return without_paragraph_number(text, position, end) if position < end else end


def continues_paragraph(text: str, previous_end: int, start: int, end: int) -> bool:
    """The sentence text[start:end] goes on from one that ends at `previous_end`, in the same
    paragraph: only spaces between them, and it opens neither a paragraph of its own (a blank
    line, a paragraph number: "... well. 34.Since") nor a list item ("•", "B)"). A cover sheet's
    fields go on from one another: a quote may hold several ("Subject: …" and "Decision no: …")."""
    between = text[previous_end:start]
    return (
        previous_end <= start
        and not between.strip()
        and not PARAGRAPH_BREAK.search(between)
        and without_paragraph_number(text, start, end) == start
        and not text[start:end].startswith(tuple(BULLETS))
        and not _ITEM_START.match(text, start, end)
    )


def _runs_on(text: str, brk: re.Match) -> bool:
    before, after = text[brk.start() - 1 : brk.start()], text[brk.end() : brk.end() + 1]
    if not (before and (before.isalnum() or before in ",’'\")") and after.islower()):
        return False
    return not _LIST_MARKER.match(text, brk.end())


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    position = start
    for match in _CUT.finditer(text, start, end):
        cut = match.end()
        sentence_end = cut
        while sentence_end > position and text[sentence_end - 1].isspace():
            sentence_end -= 1
        if sentence_end > position:
            spans.append((position, sentence_end))
        position = cut
    while position < end and text[position].isspace():
        position += 1
    if position < end:
        spans.append((position, end))
    return spans
