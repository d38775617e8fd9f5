"""`albumen import --from photoprism`: a PhotoPrism library, through the files PhotoPrism
keeps as its own backup (its "sidecar YAML" and album YAML).

The folder given is PhotoPrism's: ``originals/`` (the photos), and ``storage/`` (or beside
``originals/``) with ``sidecar/<path of the original>.yml`` for each photo and
``albums/album/<uid>.yml`` for each album. A photo's YAML says what PhotoPrism shows: the
capture time (``TakenAt`` in UTC, ``TakenAtLocal`` the wall clock, written with a Z), the
title, description, keywords (``Details.Keywords``), place (``Lat``, ``Lng``,
``Altitude``) and whether it is a favourite; an album lists its photos by their ``UID``.
PhotoPrism keeps people (face markers) in its database only: they are not in these files.
XMP sidecars in ``originals/`` are read as well.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from albumen.errors import InvalidInput, RejectedFile
from albumen.interchange.collections import fill_albums, mark_favorites
from albumen.library.importer import Companions, Found, ImportReport, import_paths
from albumen.library.ingest import IngestResult, rejected
from albumen.library.sidecars import Sidecar
from albumen.media.metadata import CaptureTime
from albumen.media.xmp import XmpRecord, packet
from albumen.runtime import Runtime

SOURCE = "photoprism"
MAX_YAML_BYTES = 1024 * 1024


def _load_yaml(path: Path) -> dict[str, Any]:
    """A YAML file as a mapping (safe loading: no objects, no code); RejectedFile when it is
    not one."""
    import yaml

    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise RejectedFile(f"larger than the {MAX_YAML_BYTES:,} bytes a PhotoPrism YAML "
                               "needs")
        doc = yaml.safe_load(path.read_bytes())
    except OSError as exc:
        raise RejectedFile(f"cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise RejectedFile(f"not YAML: {str(exc).splitlines()[0]}") from exc
    if not isinstance(doc, dict):
        raise RejectedFile(f"a PhotoPrism YAML is a mapping, not {type(doc).__name__}")
    return doc


def _time(value: Any, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else \
            value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{name} {value!r} is not a date and time") from None
        return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    raise ValueError(f"{name} is {type(value).__name__}, not a date and time")


def _float(doc: dict[str, Any], key: str) -> float | None:
    value = doc.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or \
            not math.isfinite(value):
        raise ValueError(f"{key} is {value!r}, not a number")
    return float(value)


@dataclass
class PrismRecord:
    record: XmpRecord
    uid: str | None = None
    favorite: bool = False
    warnings: list[str] = field(default_factory=list)


def read_yaml(doc: dict[str, Any]) -> PrismRecord:
    """A photo's YAML as a record, each field of the wrong type left out with a warning."""
    out = PrismRecord(XmpRecord(), uid=doc.get("UID") if isinstance(doc.get("UID"), str)
                      else None)
    record = out.record

    def taken() -> None:
        utc, local = _time(doc.get("TakenAt"), "TakenAt"), _time(doc.get("TakenAtLocal"),
                                                                 "TakenAtLocal")
        if utc is None:
            return
        if local is None:
            record.taken = CaptureTime(utc, 0)
            return
        minutes = round((local - utc).total_seconds() / 60)
        record.taken = CaptureTime(local, minutes if abs(minutes) <= 14 * 60 else None)

    def text(key: str, attr: str) -> Callable[[], None]:
        def step() -> None:
            value = doc.get(key)
            if value is None:
                return
            if not isinstance(value, str):
                raise ValueError(f"is {type(value).__name__}, not text")
            setattr(record, attr, value.strip()[:10000] or None)
        return step

    def place() -> None:
        lat, lng = _float(doc, "Lat"), _float(doc, "Lng")
        if lat is None or lng is None or (lat == 0 and lng == 0):
            return
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValueError(f"{lat}, {lng} is not a place on Earth")
        record.latitude, record.longitude = lat, lng
        record.altitude = _float(doc, "Altitude")

    def keywords() -> None:
        details = doc.get("Details")
        if details is None:
            return
        if not isinstance(details, dict):
            raise ValueError("Details is not a mapping")
        value = details.get("Keywords")
        if value is None:
            return
        if not isinstance(value, str):
            raise ValueError(f"Details.Keywords is {type(value).__name__}, not text")
        record.keywords = sorted({k.strip()[:200] for k in value.split(",") if k.strip()})

    def favorite() -> None:
        value = doc.get("Favorite")
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"is {value!r}, not true or false")
        out.favorite = bool(value)

    for name, step in (("TakenAt", taken), ("Title", text("Title", "title")),
                       ("Description", text("Description", "description")), ("Lat", place),
                       ("Details", keywords), ("Favorite", favorite)):
        try:
            step()
        except (ValueError, TypeError) as exc:
            out.warnings.append(f"{name}: {exc}")
    return out


@dataclass(frozen=True)
class Layout:
    originals: Path
    sidecar: Path | None
    albums: Path | None

    @classmethod
    def of(cls, root: Path) -> Layout:
        originals = root / "originals"
        if not originals.is_dir():
            raise InvalidInput(f"{root} is not a PhotoPrism folder: it has no originals/")
        found = {}
        for name in ("sidecar", "albums"):
            for base in (root / "storage", root):
                if (base / name).is_dir():
                    found[name] = base / name
                    break
        return cls(originals, found.get("sidecar"), found.get("albums"))


class PhotoPrismCompanions(Companions):
    def __init__(self, layout: Layout) -> None:
        super().__init__()
        self.layout = layout
        self.records: dict[Path, PrismRecord] = {}

    def companion(self, path: Path) -> Found:
        yml = None
        if self.layout.sidecar is not None:
            rel = path.relative_to(self.layout.originals)
            for suffix in (".yml", ".yaml"):
                candidate = (self.layout.sidecar / rel).with_suffix(suffix)
                if candidate.is_file():
                    yml = candidate
                    break
        if yml is None:
            return super().companion(path)
        shown = os.fsencode(yml).decode("utf-8", "backslashreplace")
        try:
            parsed = read_yaml(_load_yaml(yml))
        except RejectedFile as exc:
            return None, rejected(yml.name, exc, shown)
        self.records[path] = parsed
        return Sidecar(SOURCE, yml.name, packet(parsed.record).encode("utf-8")), None


@dataclass
class PhotoPrismReport(ImportReport):
    albums: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "albums": self.albums}


def import_photoprism(rt: Runtime, root: Path, owner_id: int | None,
                      on_result: Callable[[IngestResult], None] | None = None
                      ) -> PhotoPrismReport:
    layout = Layout.of(root)
    companions = PhotoPrismCompanions(layout)
    base = import_paths(rt, [layout.originals], owner_id, on_result, companions)
    report = PhotoPrismReport(results=base.results)
    by_uid: dict[str, int] = {}
    favorites = []
    for r in report.results:
        rec = companions.records.get(Path(r.path)) if r.path else None
        if rec is None or r.asset_id is None or r.outcome == "rejected":
            continue
        if rec.uid:
            by_uid[rec.uid] = r.asset_id
        if rec.favorite and r.outcome == "imported":
            favorites.append(r.asset_id)
        if rec.warnings:
            r.warnings = [*(r.warnings or []), *rec.warnings]
    mark_favorites(rt, favorites)
    if owner_id is not None and layout.albums is not None:
        report.albums = fill_albums(rt, owner_id, _albums(layout.albums, by_uid, report,
                                                          on_result), SOURCE)
    return report


def _albums(folder: Path, by_uid: dict[str, int], report: ImportReport,
            on_result: Callable[[IngestResult], None] | None) -> dict[str, list[int]]:
    """Albums (``albums/album/*.yml``: Title, Photos: [{UID}]) and the assets in them."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for path in sorted((folder / "album").glob("*.y*ml")):
        try:
            doc = _load_yaml(path)
            title, photos = doc.get("Title"), doc.get("Photos") or []
            if not isinstance(title, str) or not title.strip():
                raise RejectedFile("an album without a Title")
            if not isinstance(photos, list):
                raise RejectedFile("Photos is not a list")
        except RejectedFile as exc:
            bad = rejected(path.name, exc, os.fsencode(path).decode("utf-8", "backslashreplace"))
            report.results.append(bad)
            if on_result:
                on_result(bad)
            continue
        for photo in photos:
            uid = photo.get("UID") if isinstance(photo, dict) else None
            if isinstance(uid, str) and uid in by_uid:
                wanted[title.strip()[:300]].append(by_uid[uid])
    return wanted
