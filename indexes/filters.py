"""The filters a query can carry, independent of the backend that applies them."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SearchFilter:
    """Restrict a query. Empty lists and `None` mean "no restriction"."""

    authorities: list[str] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    text_hashes: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    exclude_document_ids: list[str] = field(default_factory=list)
    # Access levels the reader may see (`councils.access`); None: no restriction (ingest, the
    # operator's CLI). Set by the index from the reader's scope (indexes.scope), not by callers.
    access: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return not (
            self.authorities
            or self.doc_types
            or self.bodies
            or self.document_ids
            or self.sources
            or self.text_hashes
            or self.exclude_document_ids
            or self.since
            or self.until
            or self.access is not None
        )

    def keyword_conditions(self) -> dict[str, list[str]]:
        """Field name -> allowed values, for every non-empty keyword restriction."""
        pairs = {
            "authority": self.authorities,
            "doc_type": self.doc_types,
            "body": self.bodies,
            "document_id": self.document_ids,
            "sources": self.sources,
            "text_sha256": self.text_hashes,
        }
        conditions = {key: list(values) for key, values in pairs.items() if values}
        if self.access is not None:
            # Kept even when empty: a reader with no levels matches nothing.
            conditions["access"] = list(self.access)
        return conditions

    def date_range(self) -> tuple[int | None, int | None]:
        """The inclusive YYYYMMDD bounds on `date_int`."""
        low = int(self.since.strftime("%Y%m%d")) if self.since else None
        high = int(self.until.strftime("%Y%m%d")) if self.until else None
        return low, high
