"""Which files and URLs a run covers, and the sidecar metadata that comes with them.

Sidecars (`manifest.jsonl`, `metadata.json`) are validated here (`ingest.sidecars`), so a bad
field refuses its document before anything is read or stored. The access level a document is
given explicitly is settled here too, strongest first: the run's `--access`, the sidecar's
`access`, then the nearest folder rule file `.scrutiny-access` (one level word; it applies to its
folder and every folder below). Documents given none are classified from their text later
(`MetadataEnricher`).

Walking a folder, a symbolic link whose target lies outside the folder is not followed: it is
reported in `failed` ("symbolic link to ... outside ..."). A link to somewhere inside the folder
is read as the file it points to; a file named on the command line may be a link.
"""

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from councils.access import check_level
from ingest.sidecars import ManifestRecord, MeetingRecord, describe

logger = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = {".txt", ".html", ".htm", ".pdf"}
SIDECAR_NAMES = {"manifest.jsonl", "metadata.json"}
ACCESS_RULE_NAME = ".scrutiny-access"
MAX_SIDECAR_BYTES = 16 * 1024 * 1024  # Kent's largest metadata.json is a few KB


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


def _read_sidecar(path: Path) -> str:
    if path.stat().st_size > MAX_SIDECAR_BYTES:
        raise ValueError(f"over the {MAX_SIDECAR_BYTES}-byte limit")
    return path.read_text(encoding="utf-8")


def _load_sidecars(folder: Path, failed: list[dict]) -> dict[str, dict | str]:
    """File name -> metadata from `manifest.jsonl` (seed format) or `metadata.json` (meeting
    papers), or -> the reason its record is invalid."""
    by_name: dict[str, dict | str] = {}
    manifest = folder / "manifest.jsonl"
    if manifest.is_file():
        try:
            lines = _read_sidecar(manifest).splitlines()
        except (OSError, UnicodeDecodeError, ValueError) as e:
            failed.append({"source": str(manifest), "reason": f"unreadable manifest: {e}"})
            lines = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as e:
                failed.append({"source": f"{manifest}:{number}", "reason": f"bad manifest line: {e}"})
                continue
            if not isinstance(raw, dict) or not isinstance(raw.get("file"), str):
                failed.append({"source": f"{manifest}:{number}", "reason": "bad manifest line: no \"file\" name"})
                continue
            try:
                by_name[raw["file"]] = ManifestRecord.model_validate(raw).sidecar()
            except ValidationError as e:
                by_name[raw["file"]] = describe(e, "manifest")
    metadata = folder / "metadata.json"
    if metadata.is_file():
        try:
            records = json.loads(_read_sidecar(metadata))
        except (OSError, UnicodeDecodeError, ValueError) as e:
            failed.append({"source": str(metadata), "reason": f"unreadable metadata.json: {e}"})
            records = []
        for record in records if isinstance(records, list) else [records]:
            name = record.get("filename") if isinstance(record, dict) else None
            if not isinstance(name, str) or not name:
                failed.append({"source": str(metadata), "reason": "metadata.json record without a \"filename\""})
                continue
            try:
                by_name[name] = MeetingRecord.model_validate(record).sidecar()
            except ValidationError as e:
                by_name[name] = describe(e, "metadata.json")
    return by_name


def _folder_rule(folder: Path, cache: dict[Path, tuple[str, str] | None]) -> tuple[str, str] | None:
    """(level or the reason it is invalid as "!reason", rule file) of the nearest
    `.scrutiny-access` at or above `folder`."""
    if folder not in cache:
        rule = folder / ACCESS_RULE_NAME
        if rule.is_file():
            try:
                cache[folder] = (check_level(rule.read_text(encoding="utf-8")[:100]), str(rule))
            except (OSError, UnicodeDecodeError, ValueError) as e:
                cache[folder] = (f"!{e}", str(rule))
        else:
            cache[folder] = None if folder.parent == folder else _folder_rule(folder.parent, cache)
    return cache[folder]


def _walk(root: Path, failed: list[dict]):
    """Files under `root` (sorted, hidden ones left out) without following links that leave
    it; such links are reported in `failed`."""
    resolved_root = root.resolve()
    for folder, subfolders, files in os.walk(root, followlinks=False):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in [*subfolders, *sorted(files)]:
            path = here / name
            if name.startswith(".") or not path.is_symlink():
                if name in files and not name.startswith("."):
                    yield path
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as e:
                failed.append({"source": str(path), "reason": f"symbolic link that cannot be followed ({e.__class__.__name__})"})
                continue
            if not target.is_relative_to(resolved_root):
                failed.append({"source": str(path), "reason": f"symbolic link to {target}, outside {resolved_root}: not followed"})
                continue
            # A link within the folder: a file is read as its target; a folder's files are
            # reached through the folder itself.
            if target.is_file():
                yield path


def collect_sources(arguments: list[str], access: str | None = None) -> CollectedSources:
    """Expand files, folders (recursively, sorted) and URLs into sources; name what is missing.

    :param access: The access level of every source of the run (`--access`), stronger than
        any sidecar or folder rule.
    """
    access = check_level(access) if access is not None else None
    sources: list[SourceRef] = []
    failed: list[dict] = []
    skipped = 0
    seen: set[str] = set()
    sidecar_cache: dict[Path, dict[str, dict | str]] = {}
    rule_cache: dict[Path, tuple[str, str] | None] = {}

    def sidecar_for(path: Path) -> dict | str:
        if path.parent not in sidecar_cache:
            sidecar_cache[path.parent] = _load_sidecars(path.parent, failed)
        found = sidecar_cache[path.parent].get(path.name, {})
        if isinstance(found, str):
            return found
        sidecar = dict(found)
        if access is not None:
            sidecar.update(access=access, access_source="command line")
        elif sidecar.get("access"):
            sidecar["access_source"] = "sidecar"
        else:
            rule = _folder_rule(path.parent, rule_cache)
            if rule is not None and rule[0].startswith("!"):
                return f"folder access rule {rule[1]}: {rule[0][1:]}"
            if rule is not None:
                sidecar.update(access=rule[0], access_source="folder rule")
        return sidecar

    def add(path: Path, explicit: bool) -> None:
        nonlocal skipped
        key = str(path.resolve())
        if key in seen:
            return
        try:
            key.encode("utf-8")
        except UnicodeEncodeError:
            # A name that is not UTF-8 cannot be stored or cited; reported, the rest carries on.
            failed.append({"source": os.fsencode(key).decode("utf-8", "backslashreplace"), "reason": "file name is not valid UTF-8; rename the file"})
            return
        if not path.is_file():
            # A FIFO, socket or device would block or never end: only regular files are read.
            failed.append({"source": key, "reason": "not a regular file"})
            return
        if path.suffix.lower() not in DOCUMENT_SUFFIXES:
            if explicit:
                failed.append({"source": key, "reason": f"unsupported file type {path.suffix or '(none)'}; expected .txt, .html or .pdf"})
            else:
                skipped += 1
            return
        seen.add(key)
        sidecar = sidecar_for(path)
        if isinstance(sidecar, str):
            failed.append({"source": key, "reason": sidecar})
            return
        sources.append(SourceRef(key, sidecar))

    for argument in arguments:
        if argument.startswith(("http://", "https://")):
            if argument not in seen:
                seen.add(argument)
                sources.append(SourceRef(argument, {"access": access, "access_source": "command line"} if access else {}))
            continue
        path = Path(argument).expanduser()
        if path.is_dir():
            for child in sorted(_walk(path, failed)):
                if child.name not in SIDECAR_NAMES:
                    add(child, explicit=False)
        elif path.is_file():
            add(path, explicit=True)
        else:
            failed.append({"source": argument, "reason": "no such file or folder"})
    return CollectedSources(sources, failed, skipped)
