"""Answers over the sample index: which sentences are quoted for which kind of question."""

import pytest

from councils.commitments import COMMITMENT_QUESTION


def test_a_named_test_of_assurance_is_not_a_question_about_a_commitment():
    assert not COMMITMENT_QUESTION.search("Why was the review of the Test of Assurance on the Director post postponed?")
    assert COMMITMENT_QUESTION.search("What assurances did the Director give the committee?")
    assert COMMITMENT_QUESTION.search("What did the director promise on NFA rates?")


def test_a_committee_is_not_a_commitment():
    assert not COMMITMENT_QUESTION.search("Who chairs Kent's Governance and Audit Committee?")
    assert COMMITMENT_QUESTION.search("What did the council commit to on caseloads?")
    assert COMMITMENT_QUESTION.search("Which commitments did the committee make in 2019?")


@pytest.mark.slow
def test_a_why_question_is_answered_with_the_reason(client):
    body = client.post("/ask", json={"question": "Why was the review of the Test of Assurance on the Director post postponed in West Berkshire?"}).json()
    assert not body["abstained"]
    assert "best way forward" in body["answer"]


@pytest.mark.slow
def test_a_who_question_is_answered_with_a_name(client):
    body = client.post("/ask", json={"question": "Who were the Improvement Partners working alongside West Berkshire Children's Services?"}).json()
    assert "Exploring Choices" in body["answer"]
