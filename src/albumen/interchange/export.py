"""`albumen export`: copies of the photos a query finds, with what albumen knows of them
embedded (EXIF, IPTC, XMP) and/or in XMP sidecars beside them. The stored originals are only
read; each copy is written to a temporary name and renamed, so a folder never holds half a
file, and a re-run rewrites only what changed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import select

from albumen.db.models import Asset
from albumen.errors import AlbumenError, InvalidInput, MediaDecodeError, RejectedFile
from albumen.events.zipstream import UniqueNames
from albumen.interchange.records import records
from albumen.library.assets import MAX_PAGE
from albumen.media import xmp
from albumen.media.imaging import as_plain_jpeg
from albumen.runtime import Runtime
from albumen.search import engine, language
from albumen.search.query import SearchQuery

Format = Literal["original", "jpeg"]
FORMATS = ("original", "jpeg")
_BATCH = 200


@dataclass(frozen=True)
class Options:
    sidecars: bool = False
    embed: bool = False
    format: Format = "original"

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise InvalidInput(f"format is one of {', '.join(FORMATS)}, not {self.format!r}")


@dataclass
class Exported:
    asset_id: int
    name: str
    outcome: Literal["exported", "unchanged", "failed"]
    embedded: bool = False
    sidecar: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class ExportReport:
    results: list[Exported] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = {"exported": 0, "unchanged": 0, "failed": 0}
        for r in self.results:
            out[r.outcome] += 1
        return out

    def to_dict(self) -> dict[str, object]:
        return {"counts": self.counts, "results": [r.to_dict() for r in self.results]}


@dataclass(frozen=True)
class Copy:
    """One exported file: its name, bytes, sidecar packet and what was embedded."""

    name: str
    data: bytes
    sidecar: str | None
    embedded: bool
    note: str | None


def matching_ids(rt: Runtime, viewer: int | None, query: str) -> list[int]:
    """The assets the query finds that the viewer may see, in the search's order."""
    parsed = language.parse(query, SearchQuery(viewer=viewer))
    ids: list[int] = []
    cursor = None
    with rt.session() as session:
        while True:
            page = engine.search(rt, session, parsed, MAX_PAGE, cursor, view="grid")
            ids.extend(int(hit.asset.id) for hit in page.items)
            cursor = page.next_cursor
            if not cursor:
                return list(dict.fromkeys(ids))


def _out_name(asset: Asset, options: Options) -> str:
    name = asset.original_filename
    if options.format == "jpeg" and asset.media_type == "image" and asset.format != "jpeg":
        stem = name.rsplit(".", 1)[0] if "." in name else name
        return f"{stem}.jpg"
    return name


def make_copy(rt: Runtime, asset: Asset, record: xmp.XmpRecord, name: str,
              options: Options) -> Copy:
    """The exported bytes of one asset; RejectedFile/MediaDecodeError when it cannot be made."""
    if asset.purged_at is not None:
        raise RejectedFile("its original was removed (a rejected upload)")
    with rt.storage.open(asset.storage_key) as fh:
        data = fh.read()
    fmt, note = asset.format, None
    if options.format == "jpeg" and asset.media_type == "image" and fmt != "jpeg":
        data, fmt = as_plain_jpeg(data), "jpeg"
        record.orientation = 1  # the pixels are upright now
        record.width, record.height = asset.width, asset.height
    elif options.format == "jpeg" and asset.media_type != "image":
        note = f"a {asset.media_type} is exported as its original"
    embedded = False
    plain = xmp.packet(record)
    if options.embed:
        if fmt in xmp.EMBEDDABLE and asset.media_type == "image":
            data, embedded = xmp.embed(data, record, plain), True
        else:
            note = f"metadata cannot be embedded in {fmt.upper()}: written to the sidecar"
    sidecar = plain if options.sidecars or (options.embed and not embedded) else None
    return Copy(name, data, sidecar, embedded, note)


def _write(path: Path, data: bytes, mtime: float | None) -> bool:
    """Write atomically; False when the file already holds exactly these bytes."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".albumen-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if mtime is not None:
            os.utime(tmp, (mtime, mtime))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def copies(rt: Runtime, ids: list[int], options: Options
           ) -> Iterator[tuple[Asset, Copy | AlbumenError]]:
    """Each asset's copy (or why it has none), in the order of ``ids``, names unique."""
    namer = UniqueNames()
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start:start + _BATCH]
        with rt.session() as session:
            found = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(chunk)))}
            assets = [found[i] for i in chunk if i in found]
            recs = records(session, assets)
            session.expunge_all()
        for asset in assets:
            name = namer(_out_name(asset, options))
            try:
                yield asset, make_copy(rt, asset, recs[asset.id], name, options)
            except (RejectedFile, MediaDecodeError) as exc:
                yield asset, exc
            except OSError as exc:
                yield asset, RejectedFile(f"cannot read its original: {exc.strerror or exc}")


def export(rt: Runtime, viewer: int | None, query: str, out: Path, options: Options,
           on_result: Callable[[Exported], None] | None = None) -> ExportReport:
    """Export what ``query`` finds (that ``viewer`` may see) into the folder ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    for asset, made in copies(rt, matching_ids(rt, viewer, query), options):
        if isinstance(made, AlbumenError):
            result = Exported(asset.id, asset.original_filename, "failed", reason=made.message)
        else:
            mtime = asset.sort_at.timestamp() if asset.sort_at else None
            changed = _write(out / made.name, made.data, mtime)
            sidecar = None
            if made.sidecar is not None:
                sidecar = made.name + xmp.SIDECAR_SUFFIX
                changed |= _write(out / sidecar, made.sidecar.encode("utf-8"), None)
            result = Exported(asset.id, made.name, "exported" if changed else "unchanged",
                              made.embedded, sidecar, made.note)
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def visible_ids(rt: Runtime, viewer: int | None, asset_ids: list[int]) -> list[int]:
    """Those of ``asset_ids`` the viewer may see (in their order); NotFound for any other."""
    from albumen.errors import NotFound
    from albumen.library.assets import AssetFilter, filtered

    wanted = list(dict.fromkeys(asset_ids))
    with rt.session() as session:
        seen = set(session.scalars(filtered(select(Asset.id), AssetFilter(viewer=viewer))
                                   .where(Asset.id.in_(wanted))))
    missing = [i for i in wanted if i not in seen]
    if missing:
        raise NotFound(f"no asset {', '.join(map(str, missing[:10]))} that you can see")
    return wanted


def one_copy(rt: Runtime, viewer: int | None, asset_id: int, options: Options) -> Copy:
    """One asset's exported copy (the API's single download); the error when it has none."""
    for _, made in copies(rt, visible_ids(rt, viewer, [asset_id]), options):
        if isinstance(made, AlbumenError):
            raise made
        return made
    raise AssertionError("unreachable: visible_ids raised for a missing asset")


def archive(rt: Runtime, viewer: int | None, asset_ids: list[int], options: Options
            ) -> Iterator[bytes]:
    """A streamed ZIP of the copies (and sidecars); an asset whose copy cannot be made is
    left out and listed in ``albumen-export-errors.txt`` at the end."""
    from albumen.events.zipstream import ZipMember, zip_stream

    ids = visible_ids(rt, viewer, asset_ids)

    def members() -> Iterator[ZipMember]:
        failures = []
        for asset, made in copies(rt, ids, options):
            if isinstance(made, AlbumenError):
                failures.append(f"{asset.original_filename}: {made.message}")
                continue
            yield ZipMember(made.name, data=lambda data=made.data: data, mtime=asset.sort_at)
            if made.sidecar is not None:
                packet = made.sidecar.encode("utf-8")
                yield ZipMember(made.name + xmp.SIDECAR_SUFFIX, data=lambda p=packet: p,
                                mtime=asset.sort_at)
        if failures:
            text = "\n".join(failures).encode("utf-8")
            yield ZipMember("albumen-export-errors.txt", data=lambda: text)

    return zip_stream(members())
