"""Trains the answer model: the sentence encoder (MiniLM fine-tuned) and the sentence model on the
train split, the confidence and answerability models and the abstention threshold on the train
and dev splits, each question run through the ask pipeline at the API's defaults, the answer
stage given the passages the served one is given (SCRUTINY_ANSWER_PASSAGES, _RANKED). The test
split is never read here.

    scrutiny train-answerer --index var/full     # ~40 minutes on 2 cores over the whole corpus

The sentence model's similarity features come from the fine-tuned encoder. On its own training
questions that encoder is too good to be true, so the train features are cross-fitted: train
questions fall into FOLDS groups by document (questions linked by a shared document go together),
and each group is featurised by an encoder tuned on the other groups only. Dev is featurised by
the encoder tuned on all of train, the one shipped.
"""

import pickle
import re
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from haystack import Document

from eval.known_answers import KnownAnswer, canonical_document, load_known_answers
from eval.train_encoder import EncoderTraining, Triplet, fine_tune
from service.answering.features import COS_SENTENCE, COV_SENTENCE, FEATURE_NAMES
from service.answering.model import CONFIDENCE_FEATURES, AnswerModel, Logistic
from service.answering.question import STOPWORDS
from service.components.learned_answerer import LearnedAnswerer, ScoredCandidates, confidence_features
from service.engine import QueryEngine
from service.schemas import AskRequest, Filters

# The most answerable questions the threshold may turn away (the goal: <= 5%).
MAX_FALSE_ABSTENTION = 0.05
# L2 strength of every model fitted here (scikit-learn's default; not tuned).
REGULARISATION_C = 1.0
# The direction each answer-level feature may push the probability that an answer is right or
# that the question is answerable. Several are near copies of one another (what the question
# shares with the quote, with its context, with all passages), and a free fit gave some the
# opposite sign (more of the question unmentioned anywhere read as more answerable), which held
# on the whole corpus and failed on a small index, where the shares fall elsewhere. The gap to
# the runner-up sentence is left free: a close second can mean two answering sentences.
ANSWER_LEVEL_SIGNS = {
    "best_logit": 1, "unseen_share": -1, "entities_quote": 1, "entities_context": 1, "cos_passage": 1, "shape_missing": -1, "coverage_quote": 1,
}
# Groups of train documents for cross-fitting the encoder's features.
FOLDS = 2
# The meaning floor of search: the highest score a search these documents do not discuss reaches
# (passages holding most of a query's words match anyway; service/components/relevance_floor.py).
OFF_TOPIC_QUANTILE = 1.0
OFF_TOPIC_SEARCHES = Path(__file__).parent / "data" / "off_topic_searches.txt"


@dataclass
class Asked:
    """What the ask pipeline gave the answer stage for one question."""

    known: KnownAnswer
    structured: bool  # a structured fact answered it (no sentence choice to learn)
    topic: str
    additions: list[str]
    passages: Sequence[Document]


@dataclass
class Collected:
    known: KnownAnswer
    scored: ScoredCandidates | None  # None when a structured fact answered (no sentence choice)
    labels: np.ndarray


def ask_all(engine: QueryEngine, questions: list[KnownAnswer]) -> list[Asked]:
    asked = []
    for known in questions:
        # The pipeline runs the rules answerer (the learned one needs the model being trained),
        # but hands on the passages the learned answerer is given.
        result = engine.run_ask_pipeline(
            AskRequest(question=known.question, filters=Filters(**known.filters)), outputs={"scope", "expander", "inspection_facts"},
            for_answerer="learned",
        )
        asked.append(
            Asked(known, result["inspection_facts"]["answer"] is not None, result["scope"]["topic"], result["expander"]["additions"],
                  result["deduplicator"]["passages"])
        )
    return asked


def collect(answerer: LearnedAnswerer, asked: list[Asked]) -> list[Collected]:
    """Each question's candidate sentences, featurised with the answerer's current encoder, and
    labelled: 1 for a sentence that states the answer (`KnownAnswer.quote_is_right`)."""
    rows = []
    for a in asked:
        if a.structured:
            rows.append(Collected(a.known, None, np.zeros(0)))
            continue
        scored = answerer.featurise(a.topic, a.passages, a.additions, asked=a.known.question)
        labels = []
        for i, c in enumerate(scored.candidates):
            meta = scored.passages[c.passage_index].meta
            labels.append(a.known.quote_is_right(meta.get("source"), meta["start"] + c.start, meta["start"] + c.end, sentence_text(scored, i)))
        rows.append(Collected(a.known, scored, np.asarray(labels, dtype=np.float32)))
    return rows


def fold_groups(questions: list[KnownAnswer]) -> dict[str, int]:
    """Each question's cross-fitting group. Questions that read a common document (however its
    path is written) or are worded identically are linked, and each linked set goes whole to one
    group, so an encoder never learns from a document whose questions it then featurises."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def link(a: str, b: str) -> None:
        a, b = root(a), root(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    def keys(known: KnownAnswer) -> list[str]:
        documents = sorted("document:" + (canonical_document(r) or (r, ""))[0] for r in known.relevant)
        return documents + ["question:" + " ".join(known.question.lower().split())]

    for known in questions:
        first, *rest = keys(known)
        for other in rest:
            link(first, other)
    return {known.id: zlib.crc32(root(keys(known)[0]).encode()) % FOLDS for known in questions}


def fold_split(items: list, group: dict[str, int], fold: int, known_of) -> tuple[list, list]:
    """(the items an encoder for `fold` trains on, the items it featurises): the other groups'
    and its own. `known_of` gives an item's question."""
    return [x for x in items if group[known_of(x).id] != fold], [x for x in items if group[known_of(x).id] == fold]


def sentence_text(scored: ScoredCandidates, i: int) -> str:
    c = scored.candidates[i]
    return (scored.passages[c.passage_index].content or "")[c.start : c.end]


def _train_document(scored: ScoredCandidates, i: int) -> bool:
    document = canonical_document(scored.passages[scored.candidates[i].passage_index].meta.get("source"))
    return document is not None and document[1] == "train"


def triplets(rows: list[Collected], settings: EncoderTraining) -> list[Triplet]:
    """(question, answering sentence, hard negative) triplets. Hard negatives are the candidates
    of the same question most like it by base MiniLM similarity and key-term coverage that do not
    state the answer, from train documents only (retrieval reads the whole index; the encoder must
    not see dev or test text); a question whose answer is not among its candidates uses its
    labelled answering sentences."""
    out = []
    for row in rows:
        if not row.known.answerable or row.scored is None or not row.scored.candidates:
            continue
        features = row.scored.features
        order = np.argsort(-(features[:, COS_SENTENCE] + features[:, COV_SENTENCE]), kind="stable")
        answers = [sentence_text(row.scored, i) for i in order if row.labels[i] > 0][: settings.positives]
        answers = answers or [a.quote for a in row.known.answers][: settings.positives]
        negatives = [sentence_text(row.scored, i) for i in order if row.labels[i] == 0 and _train_document(row.scored, i)][: settings.negatives]
        out.extend(Triplet(row.known.question, answer, negative) for answer in answers for negative in negatives)
    return out


def _standardisation(x: np.ndarray, y: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Each feature's mean and spread (1 where it never varies), after checking that the labels
    hold both classes."""
    if len(set(y.tolist())) < 2:
        raise ValueError(f"{names[0]}…: the labels hold one class only; train on an index of the whole shared corpus")
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


def fit_logistic(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], signs: dict[str, int] | None = None) -> Logistic:
    """A logistic regression (L2 as scikit-learn's default) on standardised features. `signs`
    keeps a named feature's weight >= 0 (+1) or <= 0 (-1): scikit-learn's solver takes no bounds."""
    from scipy.optimize import minimize

    mean, scale = _standardisation(x, y, names)
    z = (x - mean) / scale

    def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = p[:-1], p[-1]
        t = z @ w + b
        q = 1.0 / (1.0 + np.exp(-t))
        value = float(np.sum(np.logaddexp(0.0, t) - y * t) + 0.5 * w @ w / REGULARISATION_C)
        return value, np.append(z.T @ (q - y) + w / REGULARISATION_C, np.sum(q - y))

    sign = [(signs or {}).get(name, 0) for name in names]
    bounds = [(0.0, None) if s > 0 else (None, 0.0) if s < 0 else (None, None) for s in sign] + [(None, None)]
    p = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds).x
    return Logistic(names, mean.astype(np.float32), scale.astype(np.float32), p[:-1].astype(np.float32), float(p[-1]))


def with_candidates(rows: list[Collected]) -> list[Collected]:
    """Questions the answer stage chose a sentence for (not a structured fact, not an empty read)."""
    return [r for r in rows if r.scored is not None and r.scored.candidates]


def sentence_rows(rows: list[Collected]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sentence model's inputs: every candidate's features, its label, and its question's number."""
    x = np.concatenate([r.scored.features for r in rows])
    y = np.concatenate([r.labels for r in rows])
    question = np.concatenate([np.full(len(r.labels), n) for n, r in enumerate(rows)])
    return x, y, question


def fit_listwise(x: np.ndarray, y: np.ndarray, question: np.ndarray, names: tuple[str, ...], log=None) -> Logistic:
    """The sentence model: weights trained to put a question's answering sentence first among its
    own candidates (a conditional logit: softmax over each question's sentences, L2 as in
    `fit_logistic`), then scaled to a probability on the same rows (Platt). The answer stage
    picks the best sentence of one question; a pointwise model also spends its weights telling
    questions with many answering sentences from questions with few, which does not rank."""
    from scipy.optimize import minimize

    mean, scale = _standardisation(x, y, names)
    z = (x - mean) / scale
    # Questions with no answering candidate say nothing about which sentence comes first.
    groups = [rows for rows in (np.flatnonzero(question == q) for q in np.unique(question)) if y[rows].sum() > 0]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = 0.5 * w @ w / REGULARISATION_C, w / REGULARISATION_C
        for rows in groups:
            s = z[rows] @ w
            log_p = s - s.max()
            log_p -= np.log(np.exp(log_p).sum())
            p = np.exp(log_p)
            target = y[rows] / y[rows].sum()
            value -= float(target @ log_p)
            gradient = gradient - z[rows].T @ (target - p)
        return value, gradient

    fitted = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B")
    if log is not None and not fitted.success:
        log(f"sentence model: the optimiser stopped early ({fitted.message})")
    w = fitted.x
    a, b = _platt(z @ w, y)
    if log is not None and a <= 2e-3:
        log(f"sentence model: across questions its scores do not rise with the share of answering sentences (Platt slope {a:.4f}): its probabilities are flat")
    return Logistic(names, mean.astype(np.float32), scale.astype(np.float32), (a * w).astype(np.float32), b)


def _platt(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """a, b with sigmoid(a * score + b) the probability that a row is positive. The slope is kept
    positive: across questions a score may fall where the share of answering sentences rises
    (questions with many candidates), and the scaling must never reverse the ranking."""
    from scipy.optimize import minimize

    def loss(ab: np.ndarray) -> tuple[float, np.ndarray]:
        t = ab[0] * score + ab[1]
        p = 1.0 / (1.0 + np.exp(-t))
        value = float(np.sum(np.logaddexp(0.0, t) - y * t))
        return value, np.asarray([float((p - y) @ score), float((p - y).sum())])

    a, b = minimize(loss, np.asarray([1.0, 0.0]), jac=True, method="L-BFGS-B", bounds=[(1e-3, None), (None, None)]).x
    return float(a), float(b)


def answer_is_right(known: KnownAnswer, scored: ScoredCandidates, quotes: list[tuple[int, int, int]]) -> bool:
    for index, start, end in quotes:
        meta = scored.passages[index].meta
        if known.quote_is_right(meta.get("source"), meta["start"] + start, meta["start"] + end, (scored.passages[index].content or "")[start:end]):
            return True
    return False


def base_answerer(engine: QueryEngine) -> LearnedAnswerer:
    """The answer stage to train, with base MiniLM and the passage counts the engine serves
    (SCRUTINY_ANSWER_PASSAGES, _RANKED): the model learns from the passages it will read."""
    return LearnedAnswerer(model=engine.index.settings.model, policy=engine.settings.answer_policy())


def train(engine: QueryEngine, workdir: Path, log=print, encoder_settings: EncoderTraining = EncoderTraining(), keep_rows: bool = False) -> AnswerModel:
    """Fit and return the answer model (not saved); its encoder is written in `workdir`, and with
    `keep_rows` the featurised train and dev questions too (rows.pkl)."""
    started = time.perf_counter()
    base_model = engine.index.settings.model
    answerer = base_answerer(engine)
    questions = load_known_answers(split="train")
    train_asked = ask_all(engine, questions)
    dev_asked = ask_all(engine, load_known_answers(split="dev"))

    # The encoder: hard negatives chosen with the base MiniLM, one encoder per held-out group
    # (for the train features) and one on all of train (shipped, and for dev).
    answerer.use_encoder(None)
    base_rows = collect(answerer, train_asked)
    group = fold_groups(questions)
    for fold in range(FOLDS):
        learn_from, _ = fold_split(base_rows, group, fold, lambda r: r.known)
        fine_tune(base_model, triplets(learn_from, encoder_settings), workdir / f"fold{fold}.onnx", encoder_settings, log)
    encoder = fine_tune(base_model, triplets(base_rows, encoder_settings), workdir / "encoder.onnx", encoder_settings, log)

    held_out = []  # each group's questions, featurised by the encoder that never saw them
    for fold in range(FOLDS):
        answerer.use_encoder(workdir / f"fold{fold}.onnx")
        rows = collect(answerer, fold_split(train_asked, group, fold, lambda a: a.known)[1])
        held_out.append(with_candidates(rows))
    usable = [r for rows in held_out for r in rows]
    x, y, question = sentence_rows(usable)
    log(f"train: {len(train_asked)} questions, {len(usable)} with candidates, {len(y)} sentences, {int(y.sum())} answering")
    sentence = fit_listwise(x, y, question, FEATURE_NAMES, log)

    provisional = AnswerModel(sentence, Logistic(CONFIDENCE_FEATURES, *_identity(len(CONFIDENCE_FEATURES))), 0.0, {}, encoder_path=encoder)
    answerer.use_model(provisional)
    dev_rows = collect(answerer, dev_asked)
    if keep_rows:
        # Kept in the work folder (with the encoders) so the answer-level fit can be studied
        # again without fine-tuning and featurising anew.
        with open(workdir / "rows.pkl", "wb") as f:
            pickle.dump({"held_out": held_out, "dev": dev_rows}, f)
    confidence, holds, threshold, from_dev = answer_level(answerer, held_out, dev_rows, sentence, log)
    relevance_floor = search_floor(engine, load_known_answers(split="dev"), log)
    provenance = {
        "trained_on": "train split (encoder, cross-fitted in %d groups by document, and sentence model, listwise), "
        "train and dev splits (confidence and answerability models, abstention threshold)" % FOLDS,
        "train_questions": len(questions),
        "train_sentences": int(len(y)),
        "answer_level_questions": {"train": int((~from_dev).sum()), "dev": int(from_dev.sum())},
        "encoder": {"base": Path(base_model).name, **vars(encoder_settings)},
        "max_false_abstention": MAX_FALSE_ABSTENTION,
        "off_topic_quantile": OFF_TOPIC_QUANTILE,
        "regularisation_c": REGULARISATION_C,
        "answer_level_signs": ANSWER_LEVEL_SIGNS,
        "passages": answerer.policy.passage_counts(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    return AnswerModel(sentence, confidence, round(threshold, 6), provenance, round(relevance_floor, 6), encoder, answerable=holds)


def answer_level(
    answerer: LearnedAnswerer, held_out: list[list[Collected]], dev_rows: list[Collected], sentence: Logistic, log=print
) -> tuple[Logistic, Logistic, float, np.ndarray]:
    """The confidence and answerability models and the abstention threshold, fitted on the
    featurised train groups (`held_out`) and dev questions; also which answers came from dev."""
    # The answer-level models learn from train and dev answers given as a user gets them, from a
    # sentence model that never saw the question: each train group's answers come from a sentence
    # model fitted on the other groups; dev's from the one shipped. About 700 questions, 110
    # unanswerable: dev alone (~20 unanswerable) gave a threshold that did not carry over.
    answers = []
    for fold in range(FOLDS):
        others = [r for f, rows in enumerate(held_out) if f != fold for r in rows]
        answers += answer_rows(answerer, fit_listwise(*sentence_rows(others), FEATURE_NAMES), held_out[fold])
    answers += answer_rows(answerer, sentence, with_candidates(dev_rows))
    features = np.asarray([a[0] for a in answers])
    right = np.asarray([a[1] for a in answers], dtype=np.float32)
    answerable = np.asarray([a[2] for a in answers])
    from_dev = np.asarray([a[3] for a in answers])
    lacks = np.asarray([a[4] for a in answers])
    confidence = fit_logistic(features, right, CONFIDENCE_FEATURES, ANSWER_LEVEL_SIGNS)
    holds = fit_logistic(features, answerable.astype(np.float32), CONFIDENCE_FEATURES, ANSWER_LEVEL_SIGNS)
    # Answers without the figure or name asked for are declined whatever the threshold: they
    # spend the false-abstention budget first.
    probabilities = np.where(lacks, 0.0, holds.probability(features))
    threshold = abstention_threshold(probabilities[answerable])
    for name, part in (("train", ~from_dev), ("dev", from_dev)):
        declined = probabilities[part] < threshold
        log(
            f"{name}: {int(part.sum())} questions, {int(right[part].sum())} answered right before abstention; threshold {threshold:.4f} "
            f"declines {int((declined & ~answerable[part]).sum())}/{int((~answerable[part]).sum())} unanswerable, "
            f"{int((declined & answerable[part]).sum())}/{int(answerable[part].sum())} answerable"
        )
    return confidence, holds, threshold, from_dev


def answer_rows(answerer: LearnedAnswerer, sentence: Logistic, rows: list[Collected]) -> list[tuple[np.ndarray, bool, bool, bool, bool]]:
    """Each question's answer as the answer stage gives it: its confidence features, whether it is
    right, whether the question is answerable, whether it is a dev question, and whether it lacks
    the figure or name the question asks for (declined whatever the threshold). The features and
    the lack are read, as the answer stage reads them, from the answer without the neighbouring
    sentences that join it; whether it is right, from the answer users are shown."""
    out = []
    for row in rows:
        row.scored.probabilities = sentence.probability(row.scored.features)
        shown, core = answerer.choose(row.scored), answerer.choose(row.scored, neighbours=False)
        out.append((confidence_features(row.scored, core), answer_is_right(row.known, row.scored, shown), row.known.answerable,
                    row.known.split == "dev", answerer.missing(row.scored, core, shown=shown) is not None))
    return out


def abstention_threshold(answerable_probabilities: np.ndarray) -> float:
    """The highest threshold that turns away at most MAX_FALSE_ABSTENTION of answerable questions."""
    ordered = np.sort(answerable_probabilities)
    if not len(ordered):
        return 0.5
    return float(ordered[int(np.floor(MAX_FALSE_ABSTENTION * len(ordered)))]) - 1e-6


def keywords(question: str) -> str:
    """A question as a search box receives it: its words less function and question words."""
    return " ".join(w for w in re.findall(r"[\w’'-]+", question) if w.lower() not in STOPWORDS)


def _top_dense_scores(engine: QueryEngine, query: str) -> list[tuple[str, float]]:
    # Retrieval's order (the reranker, when the search has one, is not run): what the floor cuts.
    inputs = {"expander": {"query": query}, "retriever": {"top_k": 50}, "deduplicator": {"top_k": 10}}
    if engine.reranks_search:
        inputs["reranker"] = {"top_n": 0}
    result = engine.search_pipeline.run(inputs, include_outputs_from={"deduplicator"})
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
