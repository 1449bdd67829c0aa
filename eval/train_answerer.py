"""Trains the answer model: the sentence model on the train split, the confidence model and the
abstention threshold on the dev split, each question run through the same ask pipeline (and so
the same passages) users get at the API's defaults. The test split is never read here.

    scrutiny train-answerer --index var/full     # ~3 minutes on 2 cores over the whole corpus
"""

import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eval.known_answers import KnownAnswer, load_known_answers
from eval.metrics import fact_found
from service.answering.features import FEATURE_NAMES
from service.answering.model import CONFIDENCE_FEATURES, AnswerModel, Logistic
from service.answering.question import STOPWORDS
from service.components.learned_answerer import LearnedAnswerer, ScoredCandidates, confidence_features
from service.engine import QueryEngine
from service.schemas import AskRequest, Filters

# The most answerable dev questions the threshold may turn away (the goal: <= 5%).
MAX_FALSE_ABSTENTION = 0.05
# L2 strength of both logistic models (scikit-learn's default; not tuned).
REGULARISATION_C = 1.0
# The meaning floor of search: the highest score a search these documents do not discuss reaches
# (passages holding most of a query's words match anyway; service/components/relevance_floor.py).
OFF_TOPIC_QUANTILE = 1.0
OFF_TOPIC_SEARCHES = Path(__file__).parent / "data" / "off_topic_searches.txt"


@dataclass
class Collected:
    known: KnownAnswer
    scored: ScoredCandidates | None  # None when a structured fact answered (no sentence choice)
    labels: np.ndarray


def quote_is_right(known: KnownAnswer, meta: dict, start: int, end: int, quote: str) -> bool:
    """A quote states the answer: it overlaps a sentence labelled as the answer, or (for a
    question labelled with facts only) it comes from a relevant document and holds a key fact."""
    source = meta.get("source")
    if known.answers:
        return known.states_answer(source, start, end)
    return known.relevant_key(source) is not None and any(fact_found(f, quote) for f in known.facts)


def collect(engine: QueryEngine, answerer: LearnedAnswerer, questions: list[KnownAnswer]) -> list[Collected]:
    rows = []
    for known in questions:
        result = engine.run_ask_pipeline(
            AskRequest(question=known.question, filters=Filters(**known.filters)), outputs={"scope", "expander", "embedder", "inspection_facts"}
        )
        if result["inspection_facts"]["answer"] is not None:
            rows.append(Collected(known, None, np.zeros(0)))
            continue
        scored = answerer.featurise(
            result["scope"]["topic"], result["deduplicator"]["passages"], result["embedder"]["embedding"], result["expander"]["additions"]
        )
        labels = np.asarray(
            [
                known.answerable
                and quote_is_right(known, scored.passages[c.passage_index].meta, scored.passages[c.passage_index].meta["start"] + c.start,
                                   scored.passages[c.passage_index].meta["start"] + c.end, (scored.passages[c.passage_index].content or "")[c.start : c.end])
                for c in scored.candidates
            ],
            dtype=np.float32,
        )
        rows.append(Collected(known, scored, labels))
    return rows


def fit_logistic(x: np.ndarray, y: np.ndarray, names: tuple[str, ...]) -> Logistic:
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        raise ValueError(f"{names[0]}…: the labels hold one class only; train on an index of the whole shared corpus")
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=REGULARISATION_C, max_iter=2000).fit((x - mean) / scale, y)
    return Logistic(names, mean.astype(np.float32), scale.astype(np.float32), model.coef_[0].astype(np.float32), float(model.intercept_[0]))


def answer_is_right(known: KnownAnswer, scored: ScoredCandidates, quotes: list[tuple[int, int, int]]) -> bool:
    if not known.answerable:
        return False
    for index, start, end in quotes:
        meta = scored.passages[index].meta
        if quote_is_right(known, meta, meta["start"] + start, meta["start"] + end, (scored.passages[index].content or "")[start:end]):
            return True
    return False


def train(engine: QueryEngine, log=print) -> AnswerModel:
    """Fit and return the answer model (not saved)."""
    started = time.perf_counter()
    answerer = LearnedAnswerer(model=engine.index.settings.model)
    questions = load_known_answers(split="train")
    train_rows = collect(engine, answerer, questions)
    usable = [r for r in train_rows if r.scored is not None and r.scored.candidates]
    x = np.concatenate([r.scored.features for r in usable])
    y = np.concatenate([r.labels for r in usable])
    log(f"train: {len(train_rows)} questions, {len(usable)} with candidates, {len(y)} sentences, {int(y.sum())} answering")
    sentence = fit_logistic(x, y, FEATURE_NAMES)

    dev_rows = collect(engine, answerer, load_known_answers(split="dev"))
    provisional = AnswerModel(sentence, Logistic(CONFIDENCE_FEATURES, *_identity(len(CONFIDENCE_FEATURES))), 0.0, {})
    answerer.use_model(provisional)
    features, labels, answerable = [], [], []
    for row in dev_rows:
        if row.scored is None or not row.scored.candidates:
            continue
        row.scored.probabilities = sentence.probability(row.scored.features)
        quotes = answerer.choose(row.scored)
        features.append(confidence_features(row.scored, quotes))
        labels.append(answer_is_right(row.known, row.scored, quotes))
        answerable.append(row.known.answerable)
    confidence = fit_logistic(np.asarray(features), np.asarray(labels, dtype=np.float32), CONFIDENCE_FEATURES)
    probabilities = confidence.probability(np.asarray(features))
    answerable_p = np.sort(probabilities[np.asarray(answerable)])
    # Highest threshold that turns away at most MAX_FALSE_ABSTENTION of the answerable dev questions.
    allowed = int(np.floor(MAX_FALSE_ABSTENTION * len(answerable_p)))
    threshold = float(answerable_p[allowed]) - 1e-6 if len(answerable_p) else 0.5
    unanswerable_p = probabilities[~np.asarray(answerable)]
    log(
        f"dev: {len(features)} questions, {int(sum(labels))} answered right before abstention; threshold {threshold:.4f} "
        f"declines {int((unanswerable_p < threshold).sum())}/{len(unanswerable_p)} unanswerable"
    )
    relevance_floor = search_floor(engine, load_known_answers(split="dev"), log)
    provenance = {
        "trained_on": "train split (sentence model), dev split (confidence model and threshold)",
        "train_questions": len(questions),
        "train_sentences": int(len(y)),
        "dev_questions": len(features),
        "max_false_abstention": MAX_FALSE_ABSTENTION,
        "off_topic_quantile": OFF_TOPIC_QUANTILE,
        "regularisation_c": REGULARISATION_C,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return AnswerModel(sentence, confidence, round(threshold, 6), provenance, round(relevance_floor, 6))


def keywords(question: str) -> str:
    """A question as a search box receives it: its words less function and question words."""
    return " ".join(w for w in re.findall(r"[\w’'-]+", question) if w.lower() not in STOPWORDS)


def _top_dense_scores(engine: QueryEngine, query: str) -> list[tuple[str, float]]:
    result = engine.search_pipeline.run({"expander": {"query": query}, "retriever": {"top_k": 50}, "deduplicator": {"top_k": 10}})
    return [(p.meta.get("source"), p.meta["dense_score"]) for p in result["deduplicator"]["passages"] if p.meta.get("dense_score") is not None]


def search_floor(engine: QueryEngine, questions: list[KnownAnswer], log=print) -> float:
    """The cosine similarity below which a passage is not shown as a search match: the
    OFF_TOPIC_QUANTILE of the best scores that searches these documents do not discuss reach
    (eval/data/off_topic_searches.txt). Reported beside it: how many answerable dev questions,
    searched as keywords, would lose their best relevant passage."""
    lines = OFF_TOPIC_SEARCHES.read_text(encoding="utf-8").splitlines()
    off_topic = [max((s for _, s in _top_dense_scores(engine, q)), default=-1.0) for q in lines if q.strip() and not q.startswith("#")]
    floor = float(np.quantile(off_topic, OFF_TOPIC_QUANTILE))
    lost = total = 0
    for known in questions:
        if known.answerable:
            relevant = [s for source, s in _top_dense_scores(engine, keywords(known.question)) if known.relevant_key(source)]
            total += 1
            lost += bool(relevant) and max(relevant) < floor
    log(f"search floor {floor:.4f}: {len(off_topic)} off-topic searches, best score median {np.median(off_topic):.3f}; "
        f"{lost}/{total} dev questions searched as keywords lose their best relevant passage")
    return floor


def _identity(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    coef = np.zeros(n, dtype=np.float32)
    coef[0] = 1.0  # the best sentence's logit alone, until the confidence model is fitted
    return np.zeros(n, dtype=np.float32), np.ones(n, dtype=np.float32), coef, 0.0
