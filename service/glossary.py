"""Children's-services acronyms and their spelled-out forms, so that a query in either form finds
passages written in the other ("NFA rates" finds "closing cases with no further action")."""

import re

# Acronym -> spelled-out forms (first is canonical). Sources: Ofsted ILACS framework, DfE
# statutory guidance (Working Together to Safeguard Children), and council minutes.
GLOSSARY: dict[str, list[str]] = {
    "NFA": ["no further action"],
    "ILACS": ["inspection of local authority children's services", "inspecting local authority children's services"],
    "SIF": ["single inspection framework"],
    "JTAI": ["joint targeted area inspection"],
    "CSE": ["child sexual exploitation"],
    "CCE": ["child criminal exploitation"],
    "UASC": ["unaccompanied asylum seeking children", "unaccompanied asylum-seeking children"],
    "LAC": ["looked after children", "children looked after"],
    "CLA": ["children looked after", "looked after children"],
    "CIN": ["child in need", "children in need"],
    "CP": ["child protection"],
    "CPP": ["child protection plan"],
    "SEND": ["special educational needs and disabilities", "special educational needs"],
    "SEN": ["special educational needs"],
    "EHCP": ["education, health and care plan", "education health and care plan"],
    "EHC": ["education, health and care"],
    "DCS": ["director of children's services"],
    "LSCB": ["local safeguarding children board"],
    "MASH": ["multi-agency safeguarding hub"],
    "SPA": ["single point of access"],
    "PRU": ["pupil referral unit"],
    "NEET": ["not in education, employment or training", "not in education employment or training"],
    "SGO": ["special guardianship order"],
    "IRO": ["independent reviewing officer"],
    "PLO": ["public law outline"],
    "LADO": ["local authority designated officer"],
    "DfE": ["department for education"],
    "LGA": ["local government association"],
    "MTFP": ["medium term financial plan"],
    "EHA": ["early help assessment"],
    "ICS": ["integrated care system"],
    "ICB": ["integrated care board"],
    "CAMHS": ["child and adolescent mental health services"],
    "YOT": ["youth offending team"],
    "RI": ["requires improvement"],
    "HMI": ["his majesty's inspector", "her majesty's inspector"],
    "QA": ["quality assurance"],
    "KPI": ["key performance indicator"],
    "O&S": ["overview and scrutiny"],
    "OSC": ["overview and scrutiny committee"],
    "CPR": ["child practice review"],
    "CSPR": ["child safeguarding practice review"],
    "SCR": ["serious case review"],
    "DoLS": ["deprivation of liberty safeguards"],
    "EET": ["education, employment or training"],
    "PA": ["personal adviser"],
    "FGC": ["family group conference"],
}

# Word families that council papers and Ofsted reports use for one idea: the answerer lets a
# question in one form match a sentence in another ("judged" ~ "judgement" ~ "grade"). They are
# not added to the search query, where they would drown its own words.
WORD_FAMILIES: list[set[str]] = [
    {"judge", "judged", "judgement", "judgment", "judgements", "grade", "graded", "grading", "rated", "rating"},
    {"inspection", "inspected", "inspectors", "inspector"},
    {"update", "updates", "progress report"},
    {"caseload", "caseloads", "case load"},
    {"recruitment", "recruit", "recruiting", "vacancies"},
]

_WORD = re.compile(r"[A-Za-z&]+")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'").replace("-", " ")).strip()


# Acronyms that are also English words (or too short to be safe) count only in capitals.
CAPITALS_ONLY = {"SEND", "SEN", "MASH", "SPA", "PA", "CP", "RI", "QA", "LAC", "CIN", "CLA", "PRU", "YOT"}
_BY_ACRONYM = {acronym.upper(): forms for acronym, forms in GLOSSARY.items()}
_BY_PHRASE: dict[str, list[str]] = {}
for _acronym, _forms in GLOSSARY.items():
    for _form in _forms:
        _BY_PHRASE.setdefault(_normalise(_form), []).append(_acronym)


def expand(query: str) -> list[str]:
    """The glossary terms a query implies in the other form: for "NFA rates" ["no further
    action"]; for "children looked after" ["LAC", "CLA"]. Acronyms match as written in capitals
    (so "send" the verb is not SEND), others in any case."""
    additions: list[str] = []
    for token in _WORD.findall(query):
        forms = _BY_ACRONYM.get(token.upper())
        if forms and (token.isupper() or token in GLOSSARY or (token.upper() not in CAPITALS_ONLY and len(token) >= 4)):
            additions.extend(forms[:2])
    normalised = _normalise(query)
    for phrase, acronyms in _BY_PHRASE.items():
        if re.search(r"\b" + re.escape(phrase) + r"\b", normalised):
            additions.extend(acronyms)
    return list(dict.fromkeys(a for a in additions if a.lower() not in normalised))
