"""The metadata that may come beside the files, validated before anything is stored.

A `manifest.jsonl` line (seed format) or a `metadata.json` record (a meeting's papers) that
does not validate refuses its document, with a reason naming the file's field:
"manifest field date: 'March 2020' is not a date (expected YYYY-MM-DD)". The rest of the batch
carries on.
"""

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from councils.access import check_level
from councils.dates import DAY_MONTH_YEAR, ISO, MONTH_DAY_YEAR, NUMERIC, parse_date
from councils.authorities import authority_registry
from indexes import DOC_TYPES

MAX_TITLE_CHARS = 1000  # the longest ModernGov item title seen is ~250 characters
MAX_NAME_CHARS = 300  # committee and authority names
MAX_URL_CHARS = 2048  # what browsers and servers reliably accept


def iso_date(value: str) -> str:
    """`value` as YYYY-MM-DD when it is a whole date (ISO, "3 December 2019", "03/12/2019")
    between 1990 and 2100, as `councils.dates.parse_date` reads them.

    :raises ValueError: naming the value.
    """
    text = value.strip()
    parsed = parse_date(text) if any(p.fullmatch(text) for p in (ISO, DAY_MONTH_YEAR, MONTH_DAY_YEAR, NUMERIC)) else None
    if parsed is None:
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")
    return parsed


def http_url(value: str) -> str:
    """`value` if it is an absolute http(s) URL with a host; no `javascript:`, `data:`, `file:`.

    :raises ValueError: naming the value.
    """
    text = value.strip()
    if len(text) > MAX_URL_CHARS or not re.match(r"https?://[^\s/?#@]+(?:[/?#][^\s]*)?$", text, re.I):
        raise ValueError(f"{value[:100]!r} is not an http(s) URL")
    return text


def _bounded(value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(f"is longer than {limit} characters")
    return value


class _Sidecar(BaseModel):
    # Unknown fields are refused by name: a misspelt "dtae" is a mistake to report, not ignore.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    access: str | None = None

    @field_validator("access")
    @classmethod
    def _access(cls, value: str | None) -> str | None:
        return check_level(value) if value is not None else None


class ManifestRecord(_Sidecar):
    """One line of a seed `manifest.jsonl`."""

    file: str
    doc_type: str | None = None
    authority: str | None = None
    body: str | None = None
    date: str | None = None
    title: str | None = None
    url: str | None = None

    @field_validator("doc_type")
    @classmethod
    def _doc_type(cls, value: str | None) -> str | None:
        if value is not None and value not in DOC_TYPES:
            raise ValueError(f"{value!r} is not a document type (expected one of {', '.join(DOC_TYPES)})")
        return value

    @field_validator("authority")
    @classmethod
    def _authority(cls, value: str | None) -> str | None:
        if value is not None and authority_registry().normalise(_bounded(value, MAX_NAME_CHARS)) is None:
            raise ValueError(f"{value[:100]!r} is not an English local authority")
        return value

    @field_validator("date")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        return iso_date(value) if value is not None else None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return http_url(value) if value is not None else None

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return _bounded(value, MAX_TITLE_CHARS) if value is not None else None

    @field_validator("body")
    @classmethod
    def _body(cls, value: str | None) -> str | None:
        return _bounded(value, MAX_NAME_CHARS) if value is not None else None

    def sidecar(self) -> dict[str, Any]:
        """What the metadata enricher reads: the fields given, without `file`."""
        return {k: v for k, v in self.model_dump(exclude={"file"}).items() if v is not None}


class MeetingRecord(_Sidecar):
    """One record of a meeting folder's `metadata.json` (Kent's scraped papers)."""

    filename: str
    committee: str | None = None
    meeting_date: str | None = None
    path: str | None = None
    source_path: str | None = None

    @field_validator("meeting_date")
    @classmethod
    def _meeting_date(cls, value: str | None) -> str | None:
        return iso_date(value) if value is not None else None

    @field_validator("committee")
    @classmethod
    def _committee(cls, value: str | None) -> str | None:
        return _bounded(value, MAX_NAME_CHARS) if value is not None else None

    def sidecar(self) -> dict[str, Any]:
        values = {"body": self.committee, "meeting_date": self.meeting_date, "access": self.access}
        return {k: v for k, v in values.items() if v is not None}


def describe(error: ValidationError, kind: str) -> str:
    """The first problem of a record, as "<kind> field <name>: <what is wrong>"."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(record)"
    if first["type"] == "extra_forbidden":
        return f"{kind} field {field}: not a known field"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing" or first["type"].endswith("_type"):
        message = f"{message}, got {first.get('input')!r}" if first["type"] != "missing" else "missing"
    elif first["type"] == "value_error" and message.startswith("is "):
        message = f"{str(first.get('input'))[:100]!r} {message}"
    return f"{kind} field {field}: {message}"
