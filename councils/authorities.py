"""The English local authorities with children's services, and how their names are written.

"Medway", "Medway Council" and "medway" are one authority; the canonical name is the ONS name in
`data/la_lookup.csv` (a copy of ../shared/corpus/ofsted-ilacs/la_lookup.csv, Open Government
Licence). Both ingest (to label documents) and the service (to read filters) use it.
"""

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LOOKUP_CSV = Path(__file__).parent / "data" / "la_lookup.csv"

_PREFIXES = (
    "the royal borough of ",
    "royal borough of ",
    "london borough of ",
    "borough of ",
    "city of ",
    "county of ",
    "the ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " county borough council",
    " county council",
    " city council",
    " borough council",
    " district council",
    " unitary authority",
    " council",
    " children's services",
    " childrens services",
)
# Names that are also common words or places abroad: only recognised in running text with a
# council suffix, never alone.
_AMBIGUOUS_IN_TEXT = {"Reading", "Bury", "Sutton", "York", "Derby", "Poole", "Durham", "Halton"}


# A council by its full name, which may be a district the registry does not hold.
_COUNCIL_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:upon |on |and )?[A-Z][a-z]+)* (?:(?:Metropolitan|County|City|District|Borough) )*Council\b")


def _loose(spelling: str) -> str:
    """A pattern for a spelling that allows any spacing, hyphens, full stops and commas between
    its words: "St. Helens" also matches "St Helens", "Stoke-on-Trent" "Stoke on Trent"."""
    words = [w for w in re.split(r"[\s.,\-–]+", spelling) if w]
    return r"[.,]?[\s\-–]+".join(re.escape(w) for w in words)


def name_key(name: str) -> str:
    """Lower-case, '&' -> 'and', punctuation and council prefixes/suffixes removed."""
    key = name.lower().replace("&", " and ").replace("’", "'")
    key = re.sub(r"[^a-z0-9' ]+", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix):
                key, changed = key[len(prefix):], True
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return key.replace("'", "").strip()


@dataclass(frozen=True)
class Authority:
    name: str
    urn: str
    la_code: str
    ons_code: str
    region: str
    kind: str


class AuthorityRegistry:
    """Resolves any spelling of an authority to its canonical name.

    Usage:
        registry = authority_registry()
        registry.normalise("Medway Council")  # -> "Medway"
    """

    def __init__(self, authorities: list[Authority], aliases: dict[str, str], spellings: set[str] = frozenset()):
        self.authorities = {a.name: a for a in authorities}
        self._by_key = aliases
        self._by_urn = {a.urn: a.name for a in authorities if a.urn}
        names = sorted(aliases.values(), key=len, reverse=True)
        plain = [re.escape(n) for n in dict.fromkeys(names) if n not in _AMBIGUOUS_IN_TEXT]
        # Council acronyms written in capitals ("KCC") are as good as the name in running text.
        plain += [key.upper() for key in aliases if key.isalpha() and 3 <= len(key) <= 4 and key not in {a.name.lower() for a in authorities}]
        ambiguous = [re.escape(n) for n in _AMBIGUOUS_IN_TEXT if n in self.authorities]
        # Questions are typed carelessly ("Stoke on trent", "St Helens", "Telford & Wrekin") and
        # use the short names people say ("Hull", "Bristol"): any spelling the registry knows
        # matches there, in any case and punctuation, but acronyms only in capitals.
        ambiguous_words = {n.lower() for n in _AMBIGUOUS_IN_TEXT}
        written = {n for n in [*names, *spellings] if n.lower() not in ambiguous_words}
        self._in_question = re.compile(
            r"\b(" + "|".join(_loose(n) for n in sorted(written, key=len, reverse=True)) + r")\b"
            + r"|\b(" + "|".join(ambiguous) + r")(?= (?:Borough |City |County |Metropolitan )?Council)",
            re.I,
        )
        self._in_text = re.compile(
            r"\b(" + "|".join(plain) + r")\b"
            + r"|\b(" + "|".join(ambiguous) + r")(?= (?:Borough |City |County |Metropolitan )?Council)"
        )
        # A question about councils that writes "Reading" or "York" with a capital means the
        # authority, except where the capital is the question's first letter and the word takes
        # an object ("Reading the report, ...") or starts a longer name ("Sutton Coldfield",
        # "New York", "Reading Recovery").
        self._ambiguous_in_question = re.compile(
            r"(?<!New )(?<![\w-])(" + "|".join(ambiguous) + r")(?![\w-])"
            + r"(?! (?!(?:Borough|City|County|Metropolitan|Council|Children)\b)[A-Z])"
            + r"(?<!^Reading)(?<!^Bury)"
            + r"|^(Reading|Bury)(?= (?!(?:the|this|that|these|those|a|an|it|them|his|her|their|our|its|through|about|between)\b)\S)"
        )

    @property
    def names(self) -> list[str]:
        return sorted(self.authorities)

    def normalise(self, name: str | None) -> str | None:
        """The canonical name, or None when the text names no known authority."""
        if not name:
            return None
        return self._by_key.get(name_key(name))

    def by_urn(self, urn: str) -> str | None:
        return self._by_urn.get(urn)

    def named_in(self, text: str) -> list[str]:
        """Every authority a question names, in order of first mention."""
        text = text.replace("&", "and")
        patterns = (self._in_text, self._in_question, self._ambiguous_in_question)
        matches = sorted((match for pattern in patterns for match in pattern.finditer(text)), key=lambda m: (m.start(), -m.end()))
        # A name inside a longer one ("Poole" in "Bournemouth, Christchurch and Poole") is not another authority.
        outer = [m for m in matches if not any(o.start() <= m.start() and m.end() <= o.end() and o.span() != m.span() for o in matches)]
        found = [self.normalise(match.group(0)) for match in outer]
        return list(dict.fromkeys(name for name in found if name))

    def without_names(self, text: str) -> str:
        """The question with the authorities it names (and their possessive) taken out."""
        text = text.replace("&", "and")
        for pattern in (self._in_text, self._in_question, self._ambiguous_in_question):
            text = re.sub(r"(?:" + pattern.pattern + r")(?:[’']s)?", " ", text, flags=pattern.flags)
        return text

    def names_another(self, text: str, besides: tuple[str, ...]) -> bool:
        """`text` names an authority other than those in `besides`, or a council by its full name
        ("Thanet District Council", or one of `besides`: "hosted by Kent County Council")."""
        return bool(set(self.named_in(text)) - set(besides) or _COUNCIL_NAME.search(text))

    def find_in_text(self, text: str, limit_chars: int = 50000) -> str | None:
        """The authority most often named in the opening of `text`, if any."""
        counts: dict[str, int] = {}
        for match in self._in_text.finditer(text[:limit_chars]):
            canonical = self.normalise(match.group(0))
            if canonical:
                counts[canonical] = counts.get(canonical, 0) + 1
        if not counts:
            return None
        return max(counts.items(), key=lambda item: item[1])[0]


@lru_cache(maxsize=1)
def authority_registry() -> AuthorityRegistry:
    authorities: list[Authority] = []
    aliases: dict[str, str] = {}
    written: set[str] = set()  # every spelling as the sources write it
    with LOOKUP_CSV.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["local_authority_ons_name"].strip()
            if not name:
                continue
            authorities.append(
                Authority(
                    name=name,
                    urn=row["urn"].strip(),
                    la_code=row["la_code"].strip(),
                    ons_code=row["la_code_new"].strip(),
                    region=row["region_name"].strip(),
                    kind=row["ons_la_type"].strip(),
                )
            )
            spellings = {name, row["utla23nm"], row["ltla23nm"]}
            spellings.update(s.strip() for s in row["also_known_as"].strip("[]").split(",") if s.strip())
            if ", " in name:  # "Bristol, City of" -> "City of Bristol", "Bristol"
                head, tail = name.split(", ", 1)
                spellings.update({f"{tail} {head}", head})
            for spelling in spellings:
                if spelling and spelling.strip():
                    aliases.setdefault(name_key(spelling), name)
                    written.add(spelling.strip())
    # Spellings used by councils themselves that the ONS names do not carry.
    extra = {
        "County Durham": "Durham",
        "Hull": "Kingston Upon Hull, City of",
        "St Helens": "St. Helens",
        "Southend": "Southend-on-Sea",
        # Royal boroughs by the name they give themselves, and the counties' common short forms.
        "Royal Borough of Kingston": "Kingston upon Thames",
        "Royal Borough of Windsor": "Windsor and Maidenhead",
        # (Not "Bucks" or "Wilts": "Kent bucks the trend".)
        "Cambs": "Cambridgeshire", "Glos": "Gloucestershire", "Hants": "Hampshire",
        "Herts": "Hertfordshire", "Leics": "Leicestershire", "Lincs": "Lincolnshire", "Notts": "Nottinghamshire",
        "North Lincs": "North Lincolnshire", "North East Lincs": "North East Lincolnshire", "NE Lincs": "North East Lincolnshire",
        "South Glos": "South Gloucestershire", "Oxon": "Oxfordshire", "Worcs": "Worcestershire",
    }
    # Acronyms, recognised only in capitals.
    acronyms = {"BCP": "Bournemouth, Christchurch and Poole", "RBKC": "Kensington and Chelsea", "KCC": "Kent"}
    known = {a.name for a in authorities}
    for spelling, name in [*extra.items(), *acronyms.items()]:
        if name in known:
            aliases.setdefault(name_key(spelling), name)
            if spelling in extra:
                written.add(spelling)
    return AuthorityRegistry(authorities, aliases, written)
