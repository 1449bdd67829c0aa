"""The labelled question set: questions with their answering documents, the offsets of the
sentences that answer them, their key facts, their kind, and their split.

Split by document into train / dev / test: the answer model is trained on train, its confidence
and abstention fitted on train and dev, and test is scored once, at the end (eval/README.md)."""

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
DOCUMENT_SPLITS = DATA / "document_splits.json"
DEFAULT_SETS = [DATA / "questions.jsonl"]
# Train questions written after the shipped model was trained, kept outside the set (training with
# them did not do better on dev; eval/README.md). Checked like the set, never loaded by default.
MORE_TRAIN_QUESTIONS = DATA / "more_train_questions.jsonl"
KINDS = ("number", "who", "when", "why", "found", "promised", "list", "compare")
SPLITS = ("train", "dev", "test")
PARTS = ("seeds", "shared")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'").lower()).strip()


def fact_found(alternatives: list[str], text: str) -> bool:
    """One key fact (any of its spellings) is in `text`, ignoring case, quote marks and spacing."""
    normal = _normal(text)
    return any(_normal(a) in normal for a in alternatives)


@dataclass(frozen=True)
class AnswerSpan:
    """Where an answering sentence stands: a source path suffix and offsets in its stored text."""

    source: str
    start: int
    end: int
    quote: str  # the stored text at [start, end), so a test can check the offsets still hold


@dataclass(frozen=True)
class KnownAnswer:
    id: str
    question: str
    kind: str
    split: str
    part: str
    answerable: bool
    relevant: list[str] = field(default_factory=list)
    facts: list[list[str]] = field(default_factory=list)
    answers: list[AnswerSpan] = field(default_factory=list)
    filters: dict = field(default_factory=dict)
    origin: str = "written"

    def relevant_key(self, source: str | None) -> str | None:
        """The relevant document a stored source is, matched by path suffix (the sample and the
        shared corpus keep the same file and folder names)."""
        if not source:
            return None
        return next((key for key in self.relevant if source.endswith(key)), None)

    def states_answer(self, source: str | None, start: int, end: int) -> bool:
        """A quote at [start, end) of `source` overlaps a sentence labelled as stating the answer."""
        return bool(source) and any(source.endswith(a.source) and start < a.end and a.start < end for a in self.answers)

    def quote_is_right(self, source: str | None, start: int, end: int, quote: str) -> bool:
        """A quote states the answer: it comes from a relevant document and holds a key fact or
        overlaps a sentence labelled as the answer. What strict citation precision counts, and
        what the answer model learns to find."""
        if not self.answerable or self.relevant_key(source) is None:
            return False
        return any(fact_found(f, quote) for f in self.facts) or self.states_answer(source, start, end)


def _entry(record: dict, where: str) -> KnownAnswer:
    try:
        answers = [AnswerSpan(**a) for a in record.pop("answers", [])]
        entry = KnownAnswer(**record, answers=answers)
    except TypeError as e:
        raise ValueError(f"{where}: {e}") from e
    if entry.kind not in KINDS or entry.split not in SPLITS or entry.part not in PARTS:
        raise ValueError(f"{where}: kind must be one of {KINDS}, split one of {SPLITS}, part one of {PARTS}")
    if entry.answerable and not (entry.relevant and entry.facts):
        raise ValueError(f"{where}: answerable question {entry.id} needs relevant documents and facts")
    if not entry.answerable and (entry.facts or entry.answers):
        raise ValueError(f"{where}: unanswerable question {entry.id} has facts or answers")
    return entry


def load_known_answers(paths: list[Path] | None = None, part: str = "all", split: str = "all") -> list[KnownAnswer]:
    """Read and check the set; `part` "seeds" keeps what the bundled sample corpus answers and
    `split` one of train, dev, test."""
    answers: list[KnownAnswer] = []
    for path in paths or DEFAULT_SETS:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                answers.append(_entry(json.loads(line), f"{path}:{number}"))
    ids = [a.id for a in answers]
    if len(ids) != len(set(ids)):
        raise ValueError("question ids must be unique")
    return [a for a in answers if (part == "all" or a.part == part) and (split == "all" or a.split == split)]


@lru_cache(maxsize=1)
def _documents_by_name() -> dict[str, list[tuple[str, str]]]:
    """The split file's documents (path within the shared corpus -> split), by file name."""
    by_name: dict[str, list[tuple[str, str]]] = {}
    for key, split in json.loads(DOCUMENT_SPLITS.read_text()).items():
        by_name.setdefault(key.rsplit("/", 1)[-1], []).append((key, split))
    return by_name


def canonical_document(path: str | None) -> tuple[str, str] | None:
    """(the split file's name for a document, its split) for a stored source or a relevant-path
    suffix, which may name one document in several ways; None for a document outside the split
    file. Questions list the same report as "80460_derbyshire/x.pdf" and
    "ofsted-ilacs/reports/80460_derbyshire/x.pdf"."""
    if not path:
        return None
    for key, split in _documents_by_name().get(path.rsplit("/", 1)[-1], []):
        if path == key or path.endswith("/" + key) or key.endswith("/" + path):
            return key, split
    return None
