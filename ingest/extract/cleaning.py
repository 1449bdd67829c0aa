"""Site boilerplate removal for news pages (whether saved as HTML or copied as text)."""

import re

# Lines that are site furniture, not reporting: cookie banners, navigation crumbs, "read more"
# teasers, share prompts.
_BOILERPLATE = [
    re.compile(r"\bthis (site|website) uses cookies\b", re.I),
    re.compile(r"\bwe use cookies\b", re.I),
    re.compile(r"^(close\s+)?accept( all)? cookies", re.I),
    re.compile(r"^read more\b", re.I),
    re.compile(r"^(home\s+)?[A-Z][a-z]+\s+news\s+article$", re.I),
    re.compile(r"^(share|share this|follow us|sign up|subscribe)\b.{0,60}$", re.I),
    re.compile(r"^advertisement$", re.I),
]
# Photo credits and picture captions ("... Picture supplied by ... (21169839)", "Stock image.").
_CAPTION = re.compile(r"(\(\d{6,}\)\s*$|\b(picture|image|photo)\s*:?\s*(supplied|by|credit)\b|\bstock (image|picture)\.?\s*$)", re.I)


def clean_news_paragraphs(paragraphs: list[str], captions: set[str] | None = None) -> list[str]:
    """Drop boilerplate paragraphs, image captions (given, or shown twice in a row as pages
    render them) and exact repeats, keeping the article's own paragraphs in order."""
    captions = {c.strip() for c in (captions or set()) if c.strip()}
    paragraphs = [p.strip() for p in paragraphs if p.strip()]
    kept: list[str] = []
    previous = None
    repeated = {p for p, q in zip(paragraphs, paragraphs[1:]) if p.strip() and p.strip() == q.strip()}
    for paragraph in paragraphs:
        text = paragraph.strip()
        if not text:
            continue
        if text in repeated or text in captions or text == previous:
            previous = text
            continue
        if any(pattern.search(text) for pattern in _BOILERPLATE) or _CAPTION.search(text):
            previous = text
            continue
        kept.append(text)
        previous = text
    return kept
