"""The parts of training the answer stage that can be checked without the whole corpus: what a
sentence is labelled, how cross-fitting groups questions, which triplets the encoder learns from,
and that fine-tuning really changes the encoder the service loads."""

import numpy as np
import pytest
from haystack import Document

from eval.known_answers import AnswerSpan, KnownAnswer
from eval.known_answers import load_known_answers
from eval.train_answerer import Collected, abstention_threshold, fit_listwise, fit_logistic, fold_groups, fold_split, triplets
from eval.train_encoder import EncoderTraining, Triplet
from service.answering.features import COS_SENTENCE, COV_SENTENCE, FEATURE_NAMES, split_candidates
from service.answering.question import analyse
from service.components.learned_answerer import ScoredCandidates

# Real documents of the split file (the encoder may learn from train documents only).
TRAIN_DOC = "ofsted-ilacs/reports/2532283_dorset/children's services inspection - 09 may 2025.pdf"
DEV_DOC = "ofsted-ilacs/reports/2637548_west northamptonshire/children's services inspection - 07 july 2026.pdf"
SOURCE = "/shared/corpus/" + TRAIN_DOC


def _known(**overrides) -> KnownAnswer:
    fields = dict(
        id="q1", question="How many children were on child protection plans?", kind="number", split="train", part="shared",
        answerable=True, relevant=[TRAIN_DOC], facts=[["844"]],
        answers=[AnswerSpan(TRAIN_DOC, 100, 160, "844 children were the subject of a plan.")],
    )
    return KnownAnswer(**{**fields, **overrides})


def test_a_quote_is_right_from_a_relevant_document_with_a_key_fact_or_the_labelled_sentence():
    known = _known()
    assert known.quote_is_right(SOURCE, 0, 40, "There were 844 children on plans.")  # the fact, elsewhere in the document
    assert known.quote_is_right(SOURCE, 120, 150, "the subject of a plan")  # overlaps the labelled sentence
    assert not known.quote_is_right(SOURCE, 0, 40, "Plans were reviewed monthly.")  # neither
    assert not known.quote_is_right("/shared/corpus/" + DEV_DOC, 0, 40, "There were 844 children on plans.")  # another document
    assert not _known(answerable=False, facts=[], answers=[]).quote_is_right(SOURCE, 100, 160, "844 children")


def test_questions_linked_by_a_document_share_a_cross_fitting_group():
    a = _known(id="a", relevant=["reports/leeds-2018.pdf"])
    b = _known(id="b", relevant=["reports/bradford-2019.pdf", "reports/leeds-2018.pdf"])
    c = _known(id="c", relevant=["reports/bradford-2019.pdf"])  # linked to a only through b
    singles = [_known(id=f"q{i}", question=f"Question {i}?", relevant=[f"reports/doc{i}.pdf"]) for i in range(40)]
    groups = fold_groups([a, b, c, *singles])
    assert groups["a"] == groups["b"] == groups["c"]
    assert {groups[q.id] for q in singles} == {0, 1}  # both groups are used


def test_one_document_written_two_ways_or_one_question_asked_twice_is_one_group():
    short = "2532283_dorset/children's services inspection - 09 may 2025.pdf"
    singles = [_known(id=f"q{i}", question=f"Question {i}?", relevant=[f"reports/doc{i}.pdf"]) for i in range(40)]
    for first, second in [
        (_known(id="x", relevant=[TRAIN_DOC]), _known(id="y", question="Another question?", relevant=[short])),
        (_known(id="x", relevant=["reports/doc1.pdf"]), _known(id="y", relevant=["reports/doc2.pdf"])),  # same wording
    ]:
        assert len({fold_groups([first, second, *singles])[q] for q in ("x", "y")}) == 1


def test_the_train_split_s_groups_never_share_a_document():
    from eval.known_answers import canonical_document

    questions = load_known_answers(split="train")
    groups = fold_groups(questions)
    owner: dict[str, int] = {}
    for known in questions:
        for path in known.relevant:
            assert owner.setdefault(canonical_document(path)[0], groups[known.id]) == groups[known.id], known.id


def test_each_encoder_learns_from_the_other_groups_and_featurises_its_own():
    questions = [_known(id=f"q{i}", question=f"Question {i}?", relevant=[f"reports/doc{i}.pdf"]) for i in range(20)]
    groups = fold_groups(questions)
    for fold in (0, 1):
        learn_from, featurise = fold_split(questions, groups, fold, lambda k: k)
        assert featurise and learn_from and not {k.id for k in learn_from} & {k.id for k in featurise}
        assert all(groups[k.id] == fold for k in featurise)
        assert len(learn_from) + len(featurise) == len(questions)


def _row(known: KnownAnswer, sentences: list[str], labels: list[int], cos: list[float], cov: list[float], source: str = SOURCE) -> Collected:
    text = " ".join(sentences)
    candidates, spans = split_candidates([text])
    features = np.zeros((len(candidates), len(FEATURE_NAMES)), np.float32)
    features[:, COS_SENTENCE], features[:, COV_SENTENCE] = cos, cov
    passages = [Document(content=text, meta={"start": 0, "source": source})]
    scored = ScoredCandidates(analyse(known.question), passages, candidates, spans, features, np.zeros(len(candidates)), 0.0, [])
    return Collected(known, scored, np.asarray(labels, np.float32))


def test_triplets_pair_each_answer_with_the_closest_sentences_that_do_not_answer():
    sentences = [
        "There were 844 children on child protection plans.",
        "Child protection conferences were held on time.",
        "The building was repainted in the spring.",
        "Child protection plans were reviewed by managers.",
    ]
    row = _row(_known(), sentences, [1, 0, 0, 0], cos=[0.5, 0.6, 0.1, 0.55], cov=[0.6, 0.5, 0.0, 0.7])
    out = triplets([row], EncoderTraining(negatives=2))
    assert [t.answer for t in out] == [sentences[0]] * 2
    # The two look-alikes, closest first; the unrelated sentence is not a hard negative.
    assert [t.negative for t in out] == [sentences[3], sentences[1]]
    assert all(t.question == row.known.question for t in out)


def test_sentences_of_dev_or_test_documents_are_never_negatives():
    sentences = ["There were 844 children on child protection plans.", "Child protection conferences were held on time."]
    dev_row = _row(_known(), sentences, [0, 0], cos=[0.5, 0.6], cov=[0.6, 0.5], source="/shared/corpus/" + DEV_DOC)
    assert triplets([dev_row], EncoderTraining(negatives=2)) == []
    outside = _row(_known(), sentences, [0, 0], cos=[0.5, 0.6], cov=[0.6, 0.5], source="/elsewhere/unknown.pdf")
    assert triplets([outside], EncoderTraining(negatives=2)) == []


def test_a_question_whose_answer_was_not_retrieved_learns_from_its_labelled_sentence():
    sentences = ["Child protection conferences were held on time.", "The building was repainted in the spring."]
    out = triplets([_row(_known(), sentences, [0, 0], cos=[0.5, 0.1], cov=[0.5, 0.0])], EncoderTraining(negatives=1))
    assert out == [Triplet(_known().question, "844 children were the subject of a plan.", sentences[0])]


def test_unanswerable_questions_give_no_triplets():
    row = _row(_known(answerable=False, facts=[], answers=[]), ["Child protection conferences were held on time."], [0], cos=[0.5], cov=[0.5])
    assert triplets([row], EncoderTraining()) == []


@pytest.mark.slow
def test_fine_tuning_writes_an_int8_encoder_that_moves_a_question_towards_its_answer(tmp_path):
    from eval.train_encoder import fine_tune
    from indexes import IndexSettings
    from service.onnx_encoder import OnnxEncoder

    question = "Which charity runs the young carers service?"
    answer = "Carers Trust delivers support for young carers across the district."
    negative = "Young carers were mentioned in the scrutiny committee's work programme."
    model = IndexSettings().model
    target = fine_tune(model, [Triplet(question, answer, negative)] * 32, tmp_path / "enc.onnx", EncoderTraining(learning_rate=1e-4), log=lambda _: None)
    assert target.exists() and target.stat().st_size < 30_000_000
    base = OnnxEncoder(model, cache_dir=str(tmp_path))
    tuned = OnnxEncoder(model, onnx_file=str(target))

    def margin(encoder):
        q, a, n = encoder.encode([question, answer, negative])
        return float(q @ a - q @ n)

    assert margin(tuned) > margin(base) + 0.05


def _questions_where_levels_mislead(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Questions whose one answering sentence scores highest on `x0` among its own candidates,
    while questions whose candidates all score high on `x0` have many more candidates: across
    questions, a high `x0` goes with a low share of answering sentences (Simpson's paradox)."""
    rng = np.random.default_rng(seed)
    rows, labels, question = [], [], []
    for q in range(120):
        level = rng.uniform(0, 10)
        n = 2 if level < 5 else 30
        x0 = level + rng.normal(0, 0.5, n)
        answer = int(np.argmax(x0))
        rows += [[v, rng.normal()] for v in x0]
        labels += [float(i == answer) for i in range(n)]
        question += [q] * n
    return np.asarray(rows, np.float32), np.asarray(labels, np.float32), np.asarray(question)


def _first_is_answer(model, x, y, question) -> float:
    p = model.probability(x)
    firsts = [y[rows][np.argmax(p[rows])] for rows in (np.flatnonzero(question == q) for q in np.unique(question))]
    return float(np.mean(firsts))


def test_the_sentence_model_learns_which_sentence_comes_first_within_a_question():
    x, y, question = _questions_where_levels_mislead(0)
    held_out = _questions_where_levels_mislead(1)
    names = ("x0", "noise")
    listwise = fit_listwise(x, y, question, names)
    assert _first_is_answer(listwise, *held_out) > 0.9
    # A pointwise model learns the levels across questions and ranks the answers last.
    assert _first_is_answer(fit_logistic(x, y, names), *held_out) < 0.2
    # Scaled to a probability that a sentence answers, rising with the score where the levels do
    # not mislead: about the share that do on average, answering sentences far above the rest.
    x[:, 0] -= np.asarray([x[question == q, 0].mean() for q in question])
    ranked = fit_listwise(x, y, question, names)
    p = ranked.probability(x)
    assert p.mean() == pytest.approx(y.mean(), abs=0.02)
    assert p[y == 1].mean() > 3 * p[y == 0].mean()
    with pytest.raises(ValueError, match="one class"):
        fit_listwise(x, np.zeros_like(y), question, names)


def test_the_abstention_threshold_turns_away_at_most_five_percent_of_answerable_questions():
    probabilities = np.linspace(0.01, 1.0, 100)
    threshold = abstention_threshold(probabilities)
    assert (probabilities < threshold).sum() == 5
    assert (probabilities < abstention_threshold(probabilities[:39])).sum() <= 1  # 5% of 39 is 1


def test_an_answer_level_feature_keeps_the_sign_it_is_given():
    """Two near copies of one signal: a free fit gives the copy the opposite sign (it is the other
    one's correction), which fails where the two part; a signed fit keeps it at zero or above."""
    rng = np.random.default_rng(0)
    signal = rng.normal(size=4000)
    copy = signal + rng.normal(scale=0.3, size=4000)
    y = (rng.random(4000) < 1 / (1 + np.exp(-(3 * signal - 1.5 * copy)))).astype(np.float32)
    x = np.column_stack([signal, copy])
    names = ("signal", "copy")
    assert fit_logistic(x, y, names).coef[1] < -0.1
    signed = fit_logistic(x, y, names, {"signal": 1, "copy": 1})
    assert signed.coef[1] >= 0 and signed.coef[0] > 0.1
