"""Features of each candidate sentence against a question: pure functions of the question's
analysis, the passages read, and the MiniLM vectors of the question, passages and sentences."""

import math
import re
from dataclasses import dataclass

import numpy as np

from councils.commitments import COMMITMENT
from councils.shapes import CAUSE, DATE, ENUMERATION, FIGURE, MONEY, NAME
from councils.text import sentence_spans, words_start
from service.answering.question import QuestionAnalysis, stems

# The order of the model's inputs; a trained model file names them and must match.
FEATURE_NAMES = (
    "cos_sentence", "cos_window", "cos_passage", "passage_rank", "passage_score",
    "cov_sentence", "cov_window", "cov_passage", "entities_sentence", "entities_context",
    "shape_match", "asks_shape", "promise_match", "log_words", "first_in_passage", "anaphoric_start",
    "cos_gap", "cov_gap", "overlong",
)
COS_SENTENCE, COS_PASSAGE, COV_SENTENCE = (FEATURE_NAMES.index(n) for n in ("cos_sentence", "cos_passage", "cov_sentence"))
COS_GAP, COV_GAP = FEATURE_NAMES.index("cos_gap"), FEATURE_NAMES.index("cov_gap")
SHAPES = {"money": MONEY, "number": FIGURE, "when": DATE, "who": NAME, "why": CAUSE, "list": ENUMERATION, "promised": COMMITMENT}
# A sentence that points back ("This…", "He…", "However…", or "Analysis on this…", "In response
# to these…" within its first words) needs the one before it to be read alone.
ANAPHORIC_START = re.compile(
    r"^\W*(?:this|these|that|those|it|its|they|their|them|he|she|his|her|such|however|but|also|therefore|"
    r"thus|as a result|in addition|furthermore|moreover|consequently|despite this|the same)\b"
    r"|^\W*(?:\w+\s+){0,3}(?:on|about|of|to|for|in|with|from|after|despite) (?:this|these|that|those|it|them)\b(?!\s+(?:year|week|month|meeting|report|time)\b)",
    re.I,
)


def points_back(text: str, start: int, end: int) -> bool:
    """text[start:end] opens by pointing back, past the bullet or number of the item it opens
    ("34.However, ...", "• 4.2 However, ..."): to be read alone it needs the sentence before it."""
    return bool(ANAPHORIC_START.search(text[words_start(text, start, end) : end]))


MIN_WORDS = 4  # shorter "sentences" are headings, labels or page furniture, not answers
# Longer "sentences" are usually layout text with no full stops (a report's cover page, a
# table), not prose that states an answer; the model learns how much that counts.
LONG_SENTENCE_WORDS = 60
# Past this a "sentence" is a cover page or table run together, not something a person reads as an
# answer: it is not quoted at all (the longest prose sentences in minutes run to about 100 words).
MAX_QUOTE_WORDS = 120


@dataclass(frozen=True)
class Candidate:
    passage_index: int
    position: int  # index of the sentence within its passage's sentences
    start: int  # within the passage text
    end: int


def split_candidates(passages: list[str]) -> tuple[list[Candidate], list[list[tuple[int, int]]]]:
    """Every sentence of every passage as a candidate (short ones excluded), and each passage's
    sentence spans (for neighbours)."""
    candidates, spans_by_passage = [], []
    for index, text in enumerate(passages):
        spans = sentence_spans(text)
        spans_by_passage.append(spans)
        for position, (start, end) in enumerate(spans):
            words = text[start:end].split()
            # Words, not layout: a row of bullets or dashes ("● ● ● ●") has nothing to quote.
            if MIN_WORDS <= sum(any(ch.isalnum() for ch in w) for w in words) and len(words) <= MAX_QUOTE_WORDS:
                candidates.append(Candidate(index, position, start, end))
    return candidates, spans_by_passage


def reading_order(question_vector: np.ndarray, sentence_vectors: np.ndarray, candidates: list[Candidate], count: int, fusion_k: float) -> list[int]:
    """The indices of `count` passages, best first, by reciprocal-rank fusion of their retrieval
    rank (their index) and the rank of their best candidate sentence's cosine similarity to the
    question; ranks count from 0 (1/(k + rank)). A passage without candidates comes last by
    similarity. Ties keep retrieval's order."""
    best = np.full(count, -np.inf)
    if candidates:
        np.maximum.at(best, [c.passage_index for c in candidates], sentence_vectors @ question_vector)
    by_similarity = np.empty(count, dtype=np.int64)
    by_similarity[np.argsort(-best, kind="stable")] = np.arange(count)
    fused = [1.0 / (fusion_k + i) + 1.0 / (fusion_k + by_similarity[i]) for i in range(count)]
    return sorted(range(count), key=lambda i: -fused[i])


def _matches(alternatives: frozenset[str], words: list[str], joined: str) -> bool:
    return any((f" {a} " in joined) if " " in a else (a in words) for a in alternatives)


def term_weights(analysis: QuestionAnalysis, passages: list[str]) -> tuple[list[float], float]:
    """Each key term's weight by its rarity among the passages read, and the share of the
    question's weight that no passage mentions at all (near 1 for a question about something the
    documents never discuss)."""
    stemmed = [(s, " " + " ".join(s) + " ") for s in (stems(p) for p in passages)]
    weights, unseen = [], 0.0
    for term in analysis.terms:
        df = sum(1 for words, joined in stemmed if _matches(term, words, joined))
        weight = math.log(1 + (len(stemmed) + 1) / (df + 0.5))
        weights.append(weight)
        if df == 0:
            unseen += weight
    total = sum(weights)
    return weights, (unseen / total if total else 0.0)


def coverage(analysis: QuestionAnalysis, weights: list[float], text: str) -> float:
    """Share of the question's key-term weight that `text` contains."""
    total = sum(weights)
    if not total:
        return 0.0
    words = stems(text)
    joined = " " + " ".join(words) + " "
    return sum(w for term, w in zip(analysis.terms, weights) if _matches(term, words, joined)) / total


def entity_support(analysis: QuestionAnalysis, text: str) -> float:
    """Share of the question's years, figures and names that `text` contains (1 with none)."""
    if not analysis.entities:
        return 1.0
    flat = re.sub(r"\s+", " ", text.replace("’", "'"))
    lowered = flat.lower()
    return sum(1 for e in analysis.entities if _mentions(e, flat, lowered)) / len(analysis.entities)


def _mentions(entity: str, flat: str, lowered: str) -> bool:
    """A year or figure anywhere in the text; a name as a whole word written with a capital, so
    the town of Reading is not "reading and mathematics", nor Kent "Kentish"."""
    if not entity[:1].isalpha():
        return entity in lowered
    return any(flat[m.start()].isupper() for m in re.finditer(r"(?<!\w)" + re.escape(entity) + r"(?!\w)", lowered))


def context_text(meta: dict) -> str:
    """What a passage's document says of itself: its title, authority, body and date."""
    return " ".join(str(meta.get(k) or "") for k in ("title", "authority", "body", "date", "section"))


def sentence_features(
    analysis: QuestionAnalysis,
    passages: list[str],
    metas: list[dict],
    scores: list[float],
    passage_similarity: np.ndarray,
    candidates: list[Candidate],
    spans_by_passage: list[list[tuple[int, int]]],
    sentence_vectors: np.ndarray,
    weights: list[float],
    question_vector: np.ndarray,
) -> np.ndarray:
    """One row of FEATURE_NAMES per candidate. `passage_similarity` is each passage's cosine
    similarity to the retrieval query (stored vectors, base MiniLM); `question_vector` is the
    question in the sentence encoder's space, compared with `sentence_vectors`."""
    rows = np.zeros((len(candidates), len(FEATURE_NAMES)), dtype=np.float32)
    if not candidates:
        return rows
    by_key = {(c.passage_index, c.position): i for i, c in enumerate(candidates)}
    cos_sentence = sentence_vectors @ question_vector
    top_score = max(scores) if scores and max(scores) > 0 else 1.0
    shape = SHAPES.get(analysis.asks)
    passage_coverage = [coverage(analysis, weights, p) for p in passages]
    passage_entities = [entity_support(analysis, p + " " + context_text(m)) for p, m in zip(passages, metas)]
    for i, c in enumerate(candidates):
        text = passages[c.passage_index]
        sentence = text[c.start : c.end]
        words = len(sentence.split())
        spans = spans_by_passage[c.passage_index]
        lo, hi = spans[max(0, c.position - 1)][0], spans[min(len(spans) - 1, c.position + 1)][1]
        window = text[lo:hi]
        neighbours = [by_key.get((c.passage_index, c.position + d)) for d in (-1, 1)]
        window_vector = sentence_vectors[i] + sum(sentence_vectors[n] for n in neighbours if n is not None)
        window_vector = window_vector / max(float(np.linalg.norm(window_vector)), 1e-12)
        has_shape = bool(shape.search(sentence)) if shape is not None else False
        rows[i] = (
            cos_sentence[i],
            float(window_vector @ question_vector),
            passage_similarity[c.passage_index],
            1.0 / (1 + c.passage_index),
            scores[c.passage_index] / top_score,
            coverage(analysis, weights, sentence),
            coverage(analysis, weights, window),
            passage_coverage[c.passage_index],
            entity_support(analysis, window),
            passage_entities[c.passage_index],
            float(has_shape),
            float(shape is not None),
            float(analysis.asks == "promised" and bool(COMMITMENT.search(sentence))),
            math.log(1 + words),
            float(c.position == 0),
            float(bool(ANAPHORIC_START.search(sentence))),
            0.0,  # cos_gap, set below
            0.0,  # cov_gap, set below
            max(0, words - LONG_SENTENCE_WORDS) / LONG_SENTENCE_WORDS,
        )
    # How far each sentence is behind the best one for this question, by meaning and by words.
    rows[:, COS_GAP] = rows[:, COS_SENTENCE] - rows[:, COS_SENTENCE].max()
    rows[:, COV_GAP] = rows[:, COV_SENTENCE] - rows[:, COV_SENTENCE].max()
    return rows
