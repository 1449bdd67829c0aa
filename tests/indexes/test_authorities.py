import pytest

from indexes import authority_registry


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
