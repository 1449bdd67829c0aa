"""Which files and URLs a run covers, and the sidecar metadata that comes with them."""

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = {".txt", ".html", ".htm", ".pdf"}
SIDECAR_NAMES = {"manifest.jsonl", "metadata.json"}


@dataclass
class SourceRef:
    """A file path (absolute) or http(s) URL, with whatever its folder's sidecar says of it."""

    source: str
    sidecar: dict = field(default_factory=dict)

    @property
    def is_url(self) -> bool:
        return self.source.startswith(("http://", "https://"))


@dataclass
class CollectedSources:
    sources: list[SourceRef]
    failed: list[dict]
    skipped: int = 0


def _load_sidecars(folder: Path, failed: list[dict]) -> dict[str, dict]:
    """File name -> metadata from `manifest.jsonl` (seed format) or `metadata.json` (meeting papers)."""
    by_name: dict[str, dict] = {}
    manifest = folder / "manifest.jsonl"
    if manifest.is_file():
        for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                by_name[record["file"]] = {k: v for k, v in record.items() if k != "file" and v is not None}
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                failed.append({"source": f"{manifest}:{number}", "reason": f"bad manifest line: {e}"})
    metadata = folder / "metadata.json"
    if metadata.is_file():
        try:
            records = json.loads(metadata.read_text(encoding="utf-8"))
            for record in records if isinstance(records, list) else [records]:
                name = record.get("filename")
                if name:
                    by_name[name] = {
                        "body": record.get("committee"),
                        "meeting_date": record.get("meeting_date"),
                    }
        except (json.JSONDecodeError, AttributeError) as e:
            failed.append({"source": str(metadata), "reason": f"unreadable metadata.json: {e}"})
    return by_name


def collect_sources(arguments: list[str]) -> CollectedSources:
    """Expand files, folders (recursively, sorted) and URLs into sources; name what is missing."""
    sources: list[SourceRef] = []
    failed: list[dict] = []
    skipped = 0
    seen: set[str] = set()
    sidecar_cache: dict[Path, dict[str, dict]] = {}

    def sidecar_for(path: Path) -> dict:
        if path.parent not in sidecar_cache:
            sidecar_cache[path.parent] = _load_sidecars(path.parent, failed)
        return dict(sidecar_cache[path.parent].get(path.name, {}))

    def add(path: Path, explicit: bool) -> None:
        nonlocal skipped
        key = str(path.resolve())
        if key in seen:
            return
        if path.suffix.lower() not in DOCUMENT_SUFFIXES:
            if explicit:
                failed.append({"source": key, "reason": f"unsupported file type {path.suffix or '(none)'}; expected .txt, .html or .pdf"})
            else:
                skipped += 1
            return
        seen.add(key)
        sources.append(SourceRef(key, sidecar_for(path)))

    for argument in arguments:
        if argument.startswith(("http://", "https://")):
            if argument not in seen:
                seen.add(argument)
                sources.append(SourceRef(argument))
            continue
        path = Path(argument).expanduser()
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name not in SIDECAR_NAMES and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    add(child, explicit=False)
        elif path.is_file():
            add(path, explicit=True)
        else:
            failed.append({"source": argument, "reason": "no such file or folder"})
    return CollectedSources(sources, failed, skipped)
