import pytest

from councils.authorities import authority_registry


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Medway", "Medway"),
        ("Medway Council", "Medway"),
        ("medway", "Medway"),
        ("MEDWAY COUNCIL", "Medway"),
        ("Kent County Council", "Kent"),
        ("West Berkshire Council", "West Berkshire"),
        ("London Borough of Barnet", "Barnet"),
        ("City of Bristol", "Bristol, City of"),
        ("bournemouth, christchurch & poole", "Bournemouth, Christchurch and Poole"),
        ("Royal Borough of Windsor and Maidenhead", "Windsor and Maidenhead"),
    ],
)
def test_spellings_resolve_to_one_authority(spelling, canonical):
    assert authority_registry().normalise(spelling) == canonical


def test_unknown_names_are_not_guessed():
    registry = authority_registry()
    assert registry.normalise("Atlantis Borough Council") is None
    assert registry.normalise("") is None


def test_every_english_authority_with_an_ofsted_folder_is_known(shared_corpus):
    registry = authority_registry()
    folders = [p.name for p in (shared_corpus / "ofsted-ilacs" / "reports").iterdir()]
    unresolved = [f for f in folders if not (registry.by_urn(f.split("_", 1)[0]) or registry.normalise(f.split("_", 1)[1]))]
    assert unresolved == []
    assert len(folders) == 153


def test_authority_found_in_running_text_ignores_common_words():
    registry = authority_registry()
    assert registry.find_in_text("Reading the report, members asked about caseloads.") is None
    assert registry.find_in_text("Members of Reading Borough Council asked about caseloads.") == "Reading"
    assert registry.find_in_text("The KCC budget was agreed.") == "Kent"


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What did Ofsted say about Bristol's virtual school in 2018?", ["Bristol, City of"]),
        ("Hull 2022 inspection: why was practice inconsistent?", ["Kingston Upon Hull, City of"]),
        ("How many children were in St Helens council's care?", ["St. Helens"]),
        ("Stockton on Tees adoption in 2019", ["Stockton-on-Tees"]),
        ("Were workloads in Bedford manageable?", ["Bedford Borough"]),
        ("Bournemouth care leavers in 2024", ["Bournemouth, Christchurch and Poole"]),
        ("City of London's 2020 report", ["City of London"]),
        ("what did ofsted say about the city of london in 2020?", ["City of London"]),
        # The capital alone is not the City of London; an acronym counts only in capitals.
        ("Which London boroughs were judged outstanding?", []),
        ("Was the KCC budget agreed? And the kcc one?", ["Kent"]),
        # A royal borough by the name it gives itself; a county by its common short form, and the
        # longer form where one county's short name is inside another's.
        ("Royal Borough of Kingston children's services rating", ["Kingston upon Thames"]),
        ("what were herts rated in 2025", ["Hertfordshire"]),
        # Not a short form that is also a word.
        ("Kent bucks the national trend", ["Kent"]),
        ("Herts and Notts care leavers", ["Hertfordshire", "Nottinghamshire"]),
        ("North Lincs and Lincs adoption", ["North Lincolnshire", "Lincolnshire"]),
        # "Kingston" alone could be Hull or Thames: not guessed.
        ("Kingston's 2019 inspection", []),
    ],
)
def test_questions_name_authorities_by_any_spelling_the_registry_knows(question, named):
    assert authority_registry().named_in(question) == named
