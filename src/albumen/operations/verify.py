"""Checking the stored objects against the database (`albumen verify`).

One pass over the storage's keys classifies every object and looks its owner up in the
database in batches (by indexed columns: an original by its SHA-256, a derivative by its
asset id, a face crop by its face id); what nothing refers to is an orphan. What was found is
marked in bitmaps indexed by asset / face id (a byte per id, so memory stays small at a
million photos), and one pass over the assets then finds missing originals and missing
thumbnails or previews. Originals are re-hashed against their name: a random sample, or all
of them with ``full``. ``repair`` re-queues the derivative stage of photos whose thumbnail or
preview is missing; it never deletes anything (orphans are reported; the ``orphans``
maintenance task removes them, with ``orphans`` and ``still_orphaned`` below).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from albumen.db.models import ASSET_READY, Asset, Derivative, Face, Rendition, Report
from albumen.operations.objectcopy import hash_object, original_sha
from albumen.runtime import Runtime
from albumen.storage.base import LEARNED

log = logging.getLogger(__name__)

SAMPLE = 100
LISTED = 1000  # entries shown per finding; the counts are always complete
BATCH = 500
ORIGINAL, THUMBNAIL, PREVIEW = 1, 2, 4
_KIND_BIT = {"thumbnail": THUMBNAIL, "preview": PREVIEW}
_DERIVATIVE = re.compile(r"derivatives/\d+/(\d+)/[^/]+")
_FACE = re.compile(r"faces/\d+/\d+/(\d+)\.[^/]+")
_REPORT = re.compile(r"reports/(\d+)\.pdf")
RENDITIONS = "renditions/"  # the image service's cache (images/service.py)
# An original being removed (events/service.py); what is learned from the library and
# rebuilt from it (discovery/model.py): never orphans.
_TRANSIENT = ("purging/", LEARNED)
Progress = Callable[[str, int, int | None], None]


class _Finding:
    """A list of problems: every one counted, the first LISTED kept."""

    def __init__(self) -> None:
        self.count = 0
        self.items: list[Any] = []

    def add(self, item: Any) -> None:
        self.count += 1
        if len(self.items) < LISTED:
            self.items.append(item)

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "items": self.items}


class _Scan:
    def __init__(self, rt: Runtime, session: Session, full: bool) -> None:
        self.rt, self.session, self.full = rt, session, full
        max_asset = session.scalar(select(func.max(Asset.id))) or 0
        max_face = session.scalar(select(func.max(Face.id))) or 0
        self.assets = bytearray(max_asset + 1)
        self.faces = bytearray(max_face + 1)
        self.objects = self.originals_hashed = 0
        self.corrupt: dict[str, dict[str, Any]] = {}

    def _mark(self, bitmap: bytearray, ident: int, bit: int) -> None:
        if ident < len(bitmap):  # rows added since the scan began are checked next time
            bitmap[ident] |= bit

    def batch(self, keys: list[str], again: bool = False) -> list[str]:
        """Look the owners of ``keys`` up, mark what is found; returns the orphans among
        them. ``again``: keys looked up before (their originals are not hashed twice)."""
        orphans: list[str] = []
        originals: dict[str, str] = {}
        derivatives: dict[int, list[str]] = {}
        faces: dict[int, str] = {}
        reports: dict[int, str] = {}
        renditions: list[str] = []
        for key in keys:
            if (sha := original_sha(key)) is not None:
                originals[sha] = key
            elif m := _DERIVATIVE.fullmatch(key):
                derivatives.setdefault(int(m[1]), []).append(key)
            elif m := _FACE.fullmatch(key):
                faces[int(m[1])] = key
            elif m := _REPORT.fullmatch(key):
                reports[int(m[1])] = key
            elif key.startswith(RENDITIONS):
                renditions.append(key)
            elif not key.startswith(_TRANSIENT):
                orphans.append(key)
        s = self.session
        if originals:
            found = set()
            for asset_id, sha in s.execute(select(Asset.id, Asset.sha256).where(
                    Asset.sha256.in_(list(originals)), Asset.purged_at.is_(None))):
                self._mark(self.assets, asset_id, ORIGINAL)
                found.add(sha)
            for sha, key in originals.items():
                if sha not in found:
                    orphans.append(key)
                if self.full and not again:
                    self.hash_original(key, sha)
        if derivatives:
            # By the key the row names: a kind whose files are renamed when made again (a
            # video's web copy, ``web-<random>.mp4``) has more in its name than the kind.
            rows = {key: (a, k) for a, k, key in s.execute(
                select(Derivative.asset_id, Derivative.kind, Derivative.storage_key)
                .where(Derivative.asset_id.in_(list(derivatives))))}
            for asset_id, items in derivatives.items():
                for key in items:
                    owner = rows.get(key)
                    if owner is not None and owner[0] == asset_id:
                        self._mark(self.assets, asset_id, _KIND_BIT.get(owner[1], 0))
                    else:
                        orphans.append(key)
        if faces:
            crops = {i: k for i, k in s.execute(select(Face.id, Face.crop_key)
                                                .where(Face.id.in_(list(faces))))}
            for face_id, key in faces.items():
                if crops.get(face_id) == key:
                    self._mark(self.faces, face_id, 1)
                else:
                    orphans.append(key)
        if reports:
            pdfs = {i: k for i, k in s.execute(select(Report.id, Report.storage_key)
                                               .where(Report.id.in_(list(reports))))}
            for report_id, key in reports.items():
                if pdfs.get(report_id) != key:
                    orphans.append(key)
        if renditions:
            kept = set(s.scalars(select(Rendition.key).where(Rendition.key.in_(renditions))))
            orphans += [key for key in renditions if key not in kept]
        return orphans

    def hash_original(self, key: str, sha: str) -> None:
        try:
            actual, _size = hash_object(self.rt.storage, key)
        except FileNotFoundError:
            return  # reported as missing by the pass over the assets
        self.originals_hashed += 1
        if actual != sha:
            self.corrupt[sha] = {"key": key, "expected": sha, "actual": actual}


def _keys_in_batches(rt: Runtime, progress: Progress, scan: _Scan) -> Iterator[list[str]]:
    batch: list[str] = []
    for key in rt.storage.keys(""):
        batch.append(key)
        scan.objects += 1
        if len(batch) == BATCH:
            yield batch
            progress("storage", scan.objects, None)
            batch = []
    if batch:
        yield batch


def _sample(rt: Runtime, session: Session, scan: _Scan, n: int) -> None:
    ids = session.scalars(select(Asset.id).where(Asset.purged_at.is_(None))
                          .order_by(func.random()).limit(n)).all()
    shas = {sha: key for sha, key in session.execute(
        select(Asset.sha256, Asset.storage_key).where(Asset.id.in_(ids)))}
    for sha, key in shas.items():
        scan.hash_original(key, sha)


def _ids_of(session: Session, shas: list[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for asset_id, sha in session.execute(select(Asset.id, Asset.sha256)
                                         .where(Asset.sha256.in_(shas)).order_by(Asset.id)):
        out.setdefault(sha, []).append(asset_id)
    return out


def _orphans(scan: _Scan, progress: Progress) -> Iterator[str]:
    """Every stored object nothing refers to. Each batch of the listing is looked up; what
    had no owner is gathered and looked up once more, later, before it is given out: an
    upload stores its original, and a stage its thumbnails, a moment before the row that
    refers to them is committed."""
    pending: list[str] = []
    for keys in _keys_in_batches(scan.rt, progress, scan):
        pending += scan.batch(keys)
        if len(pending) >= BATCH:
            yield from scan.batch(pending, again=True)
            pending = []
    if pending:
        yield from scan.batch(pending, again=True)


def orphans(rt: Runtime, progress: Progress | None = None) -> Iterator[str]:
    """Every object in the storage that no asset, derivative, face or report refers to
    (objects under ``tmp/`` and ``purging/`` are never among them)."""
    with rt.session() as session:
        yield from _orphans(_Scan(rt, session, full=False), progress or (lambda *_: None))


def still_orphaned(rt: Runtime, keys: list[str]) -> list[str]:
    """Those of ``keys`` that nothing refers to now (looked up again, e.g. before removal)."""
    with rt.session() as session:
        return _Scan(rt, session, full=False).batch(keys, again=True)


def verify(rt: Runtime, *, sample: int | None = SAMPLE, full: bool = False,
           repair: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    """Check storage against the database; returns the report (``ok``: nothing left to fix)."""
    report: Progress = progress or (lambda *_: None)
    orphaned, missing_originals = _Finding(), _Finding()
    missing_derivatives, missing_crops = _Finding(), _Finding()
    repairable: list[int] = []  # every one, not only the listed ones
    with rt.session() as session:
        scan = _Scan(rt, session, full)
        for key in _orphans(scan, report):
            orphaned.add(key)
        if not full and sample:
            _sample(rt, session, scan, sample)
        result = session.execute(
            select(Asset.id, Asset.storage_key, Asset.state)
            .where(Asset.purged_at.is_(None)).order_by(Asset.id)
            .execution_options(yield_per=5000))
        for asset_id, key, state in result:
            bits = scan.assets[asset_id] if asset_id < len(scan.assets) else None
            if bits is None:
                continue  # newer than the scan
            if not bits & ORIGINAL and not rt.storage.exists(key):
                missing_originals.add({"asset_id": asset_id, "key": key})
            if state == ASSET_READY:
                kinds = [k for k, bit in _KIND_BIT.items() if not bits & bit]
                if kinds:
                    missing_derivatives.add({"asset_id": asset_id, "kinds": kinds,
                                             "original_present": bool(bits & ORIGINAL)})
                    if repair and bits & ORIGINAL:
                        repairable.append(asset_id)
        result = session.execute(select(Face.id, Face.asset_id, Face.crop_key)
                                 .where(Face.crop_key.is_not(None)).order_by(Face.id)
                                 .execution_options(yield_per=5000))
        for face_id, asset_id, key in result:
            if face_id < len(scan.faces) and not scan.faces[face_id]:
                missing_crops.add({"face_id": face_id, "asset_id": asset_id, "key": key})
        owners = _ids_of(session, list(scan.corrupt))
    corrupt = [{**c, "asset_ids": owners.get(sha, [])} for sha, c in scan.corrupt.items()]
    queued = _repair(rt, repairable, set(scan.corrupt)) if repair else []
    unrepaired = (len(corrupt) + missing_originals.count + orphaned.count
                  + missing_crops.count + missing_derivatives.count - len(queued))
    repaired = {"queued": len(queued), "asset_ids": queued[:LISTED]} if repair else None
    return {
        "ok": unrepaired == 0,
        "mode": "full" if full else f"sample of {sample or 0}",
        "checked": {"objects": scan.objects, "originals_hashed": scan.originals_hashed,
                    "assets": len(scan.assets) - 1},
        "corrupt_originals": {"count": len(corrupt), "items": corrupt[:LISTED]},
        "missing_originals": missing_originals.to_dict(),
        "orphans": orphaned.to_dict(),
        "missing_derivatives": missing_derivatives.to_dict(),
        "missing_face_crops": missing_crops.to_dict(),
        "repair": repaired,
        "unrepaired": unrepaired,
    }


def _repair(rt: Runtime, candidates: list[int], corrupt: set[str]) -> list[int]:
    """Queue the derivative stage again for photos whose original is there and intact."""
    from albumen.library.requeue import reset_stages

    if corrupt and candidates:
        with rt.session() as session:
            bad = set(session.scalars(select(Asset.id).where(Asset.sha256.in_(list(corrupt)))))
        candidates = [i for i in candidates if i not in bad]
    for start in range(0, len(candidates), BATCH):
        chunk = candidates[start:start + BATCH]
        reset_stages(rt, chunk, ["derivatives"])
        for asset_id in chunk:
            rt.queue.enqueue_asset(asset_id)
    return candidates
