"""The known-answer set: questions with their relevant documents and the facts an answer needs."""

import json
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data"
DEFAULT_SETS = [DATA / "handwritten.jsonl", DATA / "ofsted_questions.jsonl"]
CATEGORIES = ("fact", "commitment", "comparison", "date", "judgement", "unanswerable")
PARTS = ("seeds", "shared")


@dataclass(frozen=True)
class KnownAnswer:
    id: str
    question: str
    category: str
    part: str
    relevant: list[str] = field(default_factory=list)
    facts: list[list[str]] = field(default_factory=list)
    filters: dict = field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        return self.category != "unanswerable"

    def relevant_key(self, source: str | None) -> str | None:
        """The relevant document a stored source is, matched by path suffix (the sample and the
        shared corpus keep the same file and folder names)."""
        if not source:
            return None
        return next((key for key in self.relevant if source.endswith(key)), None)


def load_known_answers(paths: list[Path] | None = None, part: str = "all") -> list[KnownAnswer]:
    """Read and check the set; `part` "seeds" keeps what the bundled sample corpus answers."""
    answers: list[KnownAnswer] = []
    for path in paths or DEFAULT_SETS:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            entry = KnownAnswer(**record)
            if entry.category not in CATEGORIES or entry.part not in PARTS:
                raise ValueError(f"{path}:{number}: category must be one of {CATEGORIES} and part one of {PARTS}")
            if entry.answerable and not (entry.relevant and entry.facts):
                raise ValueError(f"{path}:{number}: answerable question {entry.id} needs relevant documents and facts")
            answers.append(entry)
    ids = [a.id for a in answers]
    if len(ids) != len(set(ids)):
        raise ValueError("question ids must be unique")
    return [a for a in answers if part == "all" or a.part == part]
