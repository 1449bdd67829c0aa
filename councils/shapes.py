"""How an answer of a given kind looks in council and Ofsted prose: a figure, a date, a person or
body, a cause. Used to tell whether a sentence has the shape a question asks for."""

import re

from councils.dates import MONTH_NAMES, SEASONS
from councils.text import BULLETS, without_paragraph_number

# How minutes and papers title a member or officer before their name ("Mrs Binks", "Cllr Hood").
MEMBER_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Cllr|Councillor)"

FIGURE = re.compile(
    r"\d|£|%|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|half|quarter|third|majority|minority)\b",
    re.I,
)
DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTH_NAMES})|(?:{MONTH_NAMES})(?: \d{{1,2}})?,? \d{{4}}|(?:19|20)\d\d|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|"
    rf"(?:since|until|by|from|in|during) (?:{MONTH_NAMES}|{'|'.join(SEASONS)})|\d+ (?:days?|weeks?|months?|years?))\b",
    re.I,
)
# A day, month or year on the calendar ("17 to 28 March 2025", "May 2024", "2024-25"): digits
# that date something rather than count it.
CALENDAR_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*(?:to|-|–|and)\s*\d{{1,2}}(?:st|nd|rd|th)?)? (?:{MONTH_NAMES})\b(?:,? \d{{4}})?"
    rf"|\b(?:{MONTH_NAMES}),? \d{{4}}\b|\b(?:19|20)\d\d(?:\s*[-/–]\s*\d{{2,4}})?\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b",
    re.I,
)


# A date that starts a span of time ("in post since January 2007") says how long.
SPAN_START = re.compile(rf"\bsince\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:(?:{MONTH_NAMES}),?\s+)?(?:19|20)\d\d\b", re.I)


# A length of time ("over the last six months", "within 20 working days").
DURATION = re.compile(
    r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|several|few)"
    r"(?:\s+(?:working|calendar|school))?\s+(?:hours?|days?|weeks?|months?|years?)\b",
    re.I,
)


# A name that carries a number ("COVID-19", "Covid-19"): it counts nothing.
_NUMBERED_NAME = re.compile(r"\b[A-Za-z]+-\d+\b")
# The whole of what a question counts ("all 12", "none of them").
_WHOLE = re.compile(r"\b(?:all|none|both|neither|every one)\b", re.I)


def counts_something(text: str, besides: tuple[str, ...] = (), time: bool = True) -> bool:
    """`text` holds a figure that is not merely a date or a paragraph's number: a count, an
    amount, a share, or a span of time from a date. Figures in `besides` (those the question
    itself states, "children under 16") are not counted, nor lengths of time unless `time`."""
    # "21.Children in Hounslow...", also after a bullet or an opening quote ("• 4.2 The Council").
    opening = len(text) - len(text.lstrip(BULLETS + "“‘\"' \t\n"))
    text = text[without_paragraph_number(text, opening, len(text)) :]
    if SPAN_START.search(text):
        return True
    text = CALENDAR_DATE.sub(" ", text)
    text = _NUMBERED_NAME.sub(" ", text)
    if not time:
        text = DURATION.sub(" ", text)
    for figure in set(besides):
        text = re.sub(rf"(?<![\d.,£]){re.escape(figure)}(?![\d%]|[.,]\d)", " ", text, count=besides.count(figure))
    # With the question's own figure taken out, "all 12" still answers "how many of the 12".
    return bool(FIGURE.search(text) or (besides and _WHOLE.search(text)))


# Any saying of when: a date, a length of time, or a time set against another ("after two
# years", "following the inspection", "once the review is complete"). Not "now", "currently",
# "already" or "then": they say a thing is so ("has been redesigned and now provides..."), not when.
WHEN = re.compile(
    DATE.pattern + "|" + DURATION.pattern
    + rf"|\b(?:{MONTH_NAMES}|{'|'.join(SEASONS)}|Q[1-4]|\d{{1,2}}(?:st|nd|rd|th))\b"
    r"|\b(?:this|that|last|next|the same|the following|the previous|each|every)\s+(?:year|month|week|term|quarter|day)\b"
    r"|\b(?:the\s+)?(?:end|beginning|start|middle|close|time)\s+of\b|\bmid-\w+"
    r"|\b(?:after|before|until|since|following|within|during|ago|recently|previously|earlier|later|next|last|today"
    r"|annual(?:ly)?|quarterly|monthly|weekly|daily|soon|shortly|immediately)\b"
    # "Once allocated, children are visited", "once Medway Council have agreed": after an event.
    r"|\bonce\b(?!\s+(?:again|more|and for all)\b)",
    re.I,
)


# A share of a whole: a percentage, a fraction, "one in four", "the majority".
SHARE = re.compile(
    r"%|\bper\s?cent\b|\bpercent\b|\b(?:half|halves|quarters?|thirds?|fifths?|tenths?|majority|minority|proportion|most|all|none|few)\b"
    r"|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out of)\s+(?:every\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twenty)\b"
    # A part of a stated whole ("25 of the 120 social workers"). Not a rate per head of population
    # ("20.7 per 10,000 children"): it may answer a share of the area's children, but as often a
    # share of some other group ("what proportion of children in care were asylum seekers?").
    r"|\b\d[\d,.]*\s+of\s+(?:the\s+|its\s+|their\s+)?£?\d|\b\d+(?:\.\d+)?\s?pc\b",
    re.I,
)


# An amount of money: pounds, or a figure in millions, billions or thousands ("£2.1m", "4.5
# million", "£426k"). A bare number is not one: tables in pounds carry their unit in a heading.
MONEY = re.compile(r"£\s?\d|\b\d[\d,.]*\s?(?:m|bn|k|million|billion|pounds)\b", re.I)
# A person or body: a title and a name, or two or more capitalised words not opening the sentence.
NAME = re.compile(rf"\b{MEMBER_TITLE}\.? [A-Z]|(?<=[a-z,;:] )[A-Z][a-z]+(?: (?:of |and |for )?[A-Z][a-z]+)+")
# What states a cause: connectives ("because", "due to") and the verbs reports give causes with
# ("has driven up caseloads", "attributes this to", "hampered progress", "contributed to"); not
# Ofsted's stock "no cause for concern", nor "leaders have driven improvements" or "children are
# contributing to their plans", which say who did something, not why.
CAUSE = re.compile(
    r"\b(?:because|due to|owing to|as a result|result(?:s|ed|ing)? (?:in|from)|in order to|so that|the reason|reasons?|"
    r"caus(?:ed|ing)|causes? of|le(?:d|ads?) to|driven (?:by|up|down)|drives? (?:up|down)|attribut(?:ed|able) to|"
    r"attribut(?:es|ing) (?:this|these|that|it|them)(?: \w+){0,3} to|contribut(?:ed|es) to|hamper(?:s|ed|ing)?|"
    r"following|since|therefore|given that|in response to)\b",
    re.I,
)
# Many things named in one sentence: a list, or several commas.
ENUMERATION = re.compile(r"(?:[,;].*){2,}|:\s|\b(?:including|such as|namely)\b", re.I)


# Capitalised words of posts, bodies and documents: "Executive Director of Children's Services"
# is a post, not a person.
_NOT_PERSONAL = frozenset(
    "director directors children children's childrens services service council councils county borough city board boards "
    "executive chief officer lead member members cabinet committee independent chair chairs corporate strategic assistant deputy "
    "interim head safeguarding local authority partnership panel trust care social ofsted inspector inspectors inspection his her "
    "majesty's the this that in on at for of and department education health adult adults people young family families early "
    "help improvement commissioner government secretary state minister leader portfolio holder scrutiny overview group nhs mayor "
    "report leadership management governance summary judgement grade overall effectiveness children’s majesty’s "
    # Council papers' titles and parties: "Medium Term Financial Plan", "the Labour Group's Alternative Budget".
    "budget budgets revenue capital medium term financial finance plan strategy programme policy framework recommendation "
    "recommendations administration amendment motion appendix annex alternative group labour conservative conservatives "
    "liberal democrat democrats party".split()
)
# A title, then a name, perhaps after initials ("Councillor D Jeffrey", "Cllr. A. Hood").
_TITLED = re.compile(rf"\b(?:{MEMBER_TITLE}|Professor)\.? (?:[A-Z]\.? )*[A-Z][a-z]")
_WORD = re.compile(r"[\w'’-]+")
_POSSESSIVE = re.compile(r"['’]s$")


def names_a_person(text: str) -> bool:
    """`text` names someone: a title and a name ("Mrs Meade"), or two capitalised words in a row
    neither of which names a post, a body or a document ("Interim Director Sarah Smith"). A
    place written the same way ("West Berkshire") passes too: this can miss a missing name,
    never invent one."""
    if _TITLED.search(text):
        return True
    words = list(_WORD.finditer(text))
    personal = [w.group()[:1].isupper() and w.group()[1:2].islower() and _POSSESSIVE.sub("", w.group().lower()) not in _NOT_PERSONAL for w in words]
    # Two such words with only a space between them: "Leeds. Many" is two sentences, not a name.
    return any(personal[i] and personal[i + 1] and text[words[i].end() : words[i + 1].start()] == " " for i in range(len(words) - 1))
