"""`albumen import --from takeout`: a Google Takeout export of Google Photos.

Takeout gives each photo a JSON file (``IMG_1.JPG.json``; since 2024
``IMG_1.JPG.supplemental-metadata.json``) with what Google Photos shows: the capture time (as
a UTC timestamp), the place (``geoData``: as shown, possibly corrected by the user;
``geoDataExif``: as the file says), the description, the people named in it (names only, no
boxes), whether it is a favourite. Its quirks, handled here:

- JSON names are cut to 51 characters: ``a_very_long_name_of_a_photo_taken_at.jpg`` has
  ``a_very_long_name_of_a_photo_taken_at.j.json``, or with the supplemental suffix cut too;
- a second file of the same name is ``IMG_1(1).JPG`` and its JSON ``IMG_1.JPG(1).json``;
- an edit made in Google Photos is a second file, ``IMG_1-edited.JPG`` (the suffix in the
  account's language), described by the original's JSON: imported too, stacked with the
  original, the edit on top;
- albums are folders with a ``metadata.json`` (their title); year folders ("Photos from
  2019") are not albums. A photo in an album is also in its year folder: the same bytes, one
  asset, in the album.

The JSON becomes an XMP packet (``library/sidecars.py`` keeps it and lays it over the file's
metadata): the capture time (kept as the file's wall clock when it is the same instant),
the place, the description, the people as keywords (``People|Name``).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from albumen.db.models import Asset, Stack
from albumen.errors import RejectedFile
from albumen.interchange.collections import fill_albums, mark_favorites
from albumen.library.importer import Companions, Found, ImportReport, import_paths
from albumen.library.ingest import IngestResult, rejected
from albumen.library.sidecars import Sidecar
from albumen.media.metadata import CaptureTime
from albumen.media.xmp import XmpRecord, packet
from albumen.runtime import Runtime

SOURCE = "takeout"
MAX_JSON_BYTES = 1024 * 1024
_NAME_LIMIT = 51  # Takeout's longest JSON file name, ".json" included
_SUPPLEMENTAL = ".supplemental-metadata"
# "-edited" as Google Photos names an edited copy in the account's language.
EDITED_SUFFIXES = ("-edited", "-bearbeitet", "-modifié", "-editado", "-modificato",
                   "-bewerkt", "-redigerad", "-muokattu", "-edytowane", "-編集済み", "-편집됨",
                   "-已编辑", "-изменено")
_COUNTER = re.compile(r"^(?P<stem>.*?)(?P<n>\(\d+\))$")
ALBUM_FILE = "metadata.json"


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def edited_base(name: str) -> str | None:
    """``IMG_1.JPG`` for ``IMG_1-edited.JPG``; None for a name that is not an edited copy."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem, counter = _split_counter(stem)
    for suffix in EDITED_SUFFIXES:
        if stem.lower().endswith(suffix):
            base = stem[: -len(suffix)] + counter
            return f"{base}.{ext}" if ext else base
    return None


def json_candidates(name: str) -> list[str]:
    """The names (without ``.json``) Takeout may have given the JSON of a file, best first."""
    name = edited_base(name) or name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    counter = ""
    match = _COUNTER.match(stem)
    if match:
        stem, counter = match.group("stem"), match.group("n")
    full = f"{stem}.{ext}" if ext else stem
    out = [f"{full}{counter}", f"{full}{_SUPPLEMENTAL}{counter}", f"{stem}{counter}"]
    if counter:
        out.append(f"{full}{_SUPPLEMENTAL}{counter}")
    return list(dict.fromkeys(out))


def _split_counter(name: str) -> tuple[str, str]:
    match = _COUNTER.match(name)
    return (match.group("stem"), match.group("n")) if match else (name, "")


def find_json(name: str, jsons: dict[str, Path]) -> Path | None:
    """The JSON of a file among a folder's (keys: lower-cased names without ``.json``): an
    exact name, else one Takeout cut to 51 characters from one of the candidates."""
    candidates = [c.lower() for c in json_candidates(name)]
    for candidate in candidates:
        if candidate in jsons:
            return jsons[candidate]
    for key, path in jsons.items():
        if len(key) + len(".json") < _NAME_LIMIT - 5:
            continue  # not a cut name
        key_stem, key_counter = _split_counter(key)
        for candidate in candidates:
            stem, counter = _split_counter(candidate)
            if counter == key_counter and len(key_stem) >= 8 and stem.startswith(key_stem):
                return path
    return None


# ---------------------------------------------------------------- reading a JSON


@dataclass
class TakeoutRecord:
    record: XmpRecord
    favorite: bool = False
    warnings: list[str] = field(default_factory=list)


def _number(doc: dict[str, Any], *keys: str) -> float | None:
    value: Any = doc
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{'.'.join(keys)} is {value!r}, not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{'.'.join(keys)} is {value!r}, not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{'.'.join(keys)} is {value!r}, not a number")
    return number


def _place(doc: dict[str, Any], key: str) -> tuple[float, float, float | None] | None:
    lat, lon = _number(doc, key, "latitude"), _number(doc, key, "longitude")
    if lat is None or lon is None or (lat == 0 and lon == 0):  # 0, 0: Takeout's "none"
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{key} {lat}, {lon} is not a place on Earth")
    return lat, lon, _number(doc, key, "altitude")


def read_json(data: bytes) -> TakeoutRecord:
    """A Takeout JSON as a record; RejectedFile when it is not a JSON object at all, and a
    warning for each field of the wrong type (left out; the rest is kept)."""
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RejectedFile(f"not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise RejectedFile(f"a Takeout JSON is an object, not {type(doc).__name__}")
    out = TakeoutRecord(XmpRecord())
    steps: list[tuple[str, Callable[[], None]]] = [
        ("photoTakenTime", lambda: _taken(doc, out.record)),
        ("geoData", lambda: _located(doc, out.record)),
        ("description", lambda: _description(doc, out.record)),
        ("people", lambda: _people(doc, out.record)),
        ("favorited", lambda: setattr(out, "favorite", _flag(doc.get("favorited")))),
    ]
    for name, step in steps:
        try:
            step()
        except (ValueError, TypeError, OverflowError, OSError) as exc:
            out.warnings.append(f"{name}: {exc}")
    return out


def _taken(doc: dict[str, Any], record: XmpRecord) -> None:
    stamp = _number(doc, "photoTakenTime", "timestamp")
    if stamp is None or stamp <= 0:  # 0: Google did not know
        return
    local = datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None)
    record.taken = CaptureTime(local, 0)


def _located(doc: dict[str, Any], record: XmpRecord) -> None:
    place = _place(doc, "geoData") or _place(doc, "geoDataExif")
    if place is not None:
        record.latitude, record.longitude, record.altitude = place


def _description(doc: dict[str, Any], record: XmpRecord) -> None:
    value = doc.get("description")
    if value is None:
        return
    if not isinstance(value, str):
        raise ValueError(f"is {type(value).__name__}, not text")
    record.description = value.strip()[:10000] or None


def _people(doc: dict[str, Any], record: XmpRecord) -> None:
    people = doc.get("people")
    if people is None:
        return
    if not isinstance(people, list):
        raise ValueError(f"is {type(people).__name__}, not a list")
    names = sorted({p["name"].strip() for p in people
                    if isinstance(p, dict) and isinstance(p.get("name"), str)
                    and p["name"].strip()})
    record.keywords = names
    record.hierarchy = [f"People|{n}" for n in names]


def _flag(value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValueError(f"is {value!r}, not true or false")
    return value


# ---------------------------------------------------------------- the walk


class TakeoutCompanions(Companions):
    """Each photo's JSON (found with Takeout's naming quirks); album folders' metadata.json."""

    def __init__(self) -> None:
        super().__init__()
        self._folders: dict[Path, dict[str, Path]] = {}
        self.used: set[Path] = set()
        self.jsons: set[Path] = set()
        self.records: dict[Path, TakeoutRecord] = {}

    def is_companion(self, path: Path) -> bool:
        return _is_json(path) or super().is_companion(path)

    def _jsons(self, folder: Path) -> dict[str, Path]:
        if folder not in self._folders:
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            self._folders[folder] = {n[:-5].lower(): folder / n for n in names
                                     if n.lower().endswith(".json") and n != ALBUM_FILE}
        return self._folders[folder]

    def companion(self, path: Path) -> Found:
        found = find_json(path.name, self._jsons(path.parent))
        if found is None:
            return super().companion(path)  # an XMP sidecar, if any
        self.used.add(found)
        shown = os.fsencode(found).decode("utf-8", "backslashreplace")
        try:
            if found.stat().st_size > MAX_JSON_BYTES:
                raise RejectedFile(f"larger than the {MAX_JSON_BYTES:,} bytes a Takeout JSON "
                                   "needs")
            parsed = read_json(found.read_bytes())
        except OSError as exc:
            return None, rejected(found.name, RejectedFile(f"cannot read: {exc.strerror}"),
                                  shown)
        except RejectedFile as exc:
            return None, rejected(found.name, exc, shown)
        self.records[path] = parsed
        return Sidecar(SOURCE, found.name, packet(parsed.record).encode("utf-8")), None

    def lone(self, path: Path) -> IngestResult | None:
        if _is_json(path):
            if path.name != ALBUM_FILE:
                self.jsons.add(path)
            return None  # judged once every photo has been matched
        return super().lone(path)

    def unmatched(self) -> list[IngestResult]:
        return [rejected(p.name, RejectedFile(
            "Takeout JSON for a file that is not there: nothing to attach it to"),
            os.fsencode(p).decode("utf-8", "backslashreplace"))
            for p in sorted(self.jsons - self.used)]


# Takeout's folders of a year's photos, in the account's language: not albums.
_YEAR_FOLDER = re.compile(r"^(Photos from|Fotos von|Photos de|Fotos de|Foto del|Foto's uit|"
                          r"Foton från|Zdjęcia z|Фото за) (19|20)\d\d$")


def album_title(folder: Path) -> str | None:
    """The album a folder is (its metadata.json's title), or None for a year folder."""
    meta = folder / ALBUM_FILE
    if not meta.is_file():
        return None
    try:
        doc = json.loads(meta.read_bytes()[:MAX_JSON_BYTES])
        title = doc.get("title") if isinstance(doc, dict) else None
    except (OSError, ValueError):
        title = None
    if not isinstance(title, str) or not title.strip():
        title = folder.name
    if _YEAR_FOLDER.match(folder.name):
        return None
    return title.strip()[:300]


@dataclass
class TakeoutReport(ImportReport):
    albums: dict[str, int] = field(default_factory=dict)
    edits_linked: int = 0

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "albums": self.albums, "edits_linked": self.edits_linked}


def import_takeout(rt: Runtime, root: Path, owner_id: int | None,
                   on_result: Callable[[IngestResult], None] | None = None) -> TakeoutReport:
    """Import a Takeout folder (``Takeout/Google Photos`` or any folder inside it). Re-run, it
    adds nothing twice: files are skipped, albums and stacks are only completed."""
    companions = TakeoutCompanions()
    base = import_paths(rt, [root], owner_id, on_result, companions)
    report = TakeoutReport(results=base.results)
    for lone in companions.unmatched():
        report.results.append(lone)
        if on_result:
            on_result(lone)
    by_path: dict[Path, int] = {}
    for r in report.results:
        if r.asset_id is not None and r.path and r.outcome != "rejected":
            by_path[Path(r.path)] = r.asset_id
    _favorites(rt, report, companions)
    report.edits_linked = _link_edits(rt, by_path, owner_id)
    if owner_id is not None:
        report.albums = _albums(rt, by_path, owner_id)
    return report


def _favorites(rt: Runtime, report: ImportReport, companions: TakeoutCompanions) -> None:
    new = {Path(r.path): r.asset_id for r in report.results
           if r.outcome == "imported" and r.path and r.asset_id is not None}
    ids = [i for p, i in new.items() if (rec := companions.records.get(p)) and rec.favorite]
    for r in report.results:  # a field of the wrong type: said with the file
        rec = companions.records.get(Path(r.path)) if r.path else None
        if rec is not None and rec.warnings:
            r.warnings = [*(r.warnings or []), *rec.warnings]
    mark_favorites(rt, ids)


def _link_edits(rt: Runtime, by_path: dict[Path, int], owner_id: int | None) -> int:
    """Stack each edited copy with its original, the edit on top."""
    linked = 0
    with rt.transaction() as session:
        for path, edit_id in by_path.items():
            base = edited_base(path.name)
            original_id = by_path.get(path.with_name(base)) if base else None
            if original_id is None or original_id == edit_id:
                continue
            pair = list(session.scalars(select(Asset).where(Asset.id.in_([edit_id,
                                                                          original_id]))))
            stacks = {a.stack_id for a in pair}
            if len(stacks) == 1 and None not in stacks:
                continue  # linked by an earlier run
            stack = Stack(owner_id=owner_id, cover_asset_id=edit_id)
            session.add(stack)
            session.flush()
            for asset in pair:
                asset.stack_id = stack.id
            linked += 1
    return linked


def _albums(rt: Runtime, by_path: dict[Path, int], owner_id: int) -> dict[str, int]:
    """Album folders become albums."""
    folders: dict[Path, list[int]] = defaultdict(list)
    for path, asset_id in by_path.items():
        folders[path.parent].append(asset_id)
    wanted: dict[str, list[int]] = defaultdict(list)
    for folder, ids in folders.items():
        title = album_title(folder)
        if title is not None:
            wanted[title] += ids
    return fill_albums(rt, owner_id, wanted, SOURCE)
