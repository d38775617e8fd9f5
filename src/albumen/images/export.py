"""Many photos made into one transform at once (``albumen images export``): every asset a
search finds that the viewer may see, each rendition through the same cache as the image
addresses, written to a folder (each file whole under a temporary name, then renamed) or to
a ZIP (written beside its path, renamed when complete). A photo that cannot be made is
reported with the reason and the rest go on."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from albumen.errors import AlbumenError, InvalidInput
from albumen.events.zipstream import safe_unique_names
from albumen.images import service
from albumen.images.options import Options, check
from albumen.search import engine, language
from albumen.search.query import SearchQuery

if TYPE_CHECKING:
    from albumen.runtime import Runtime

PAGE = 500


@dataclass
class Exported:
    written: int = 0
    bytes: int = 0
    failed: list[dict[str, object]] = field(default_factory=list)


def matching(rt: Runtime, viewer: int, query: str, asset_ids: list[int] | None = None
             ) -> Iterator[tuple[int, str]]:
    """(asset id, original file name) of every photo ``query`` finds for ``viewer`` — or,
    given ``asset_ids`` (a selection), of those of them the viewer may see, in their order."""
    if asset_ids is not None:
        from sqlalchemy import select

        from albumen.db.models import Asset
        from albumen.events.access import visible_clause

        with rt.session() as session:
            names = dict(session.execute(select(Asset.id, Asset.original_filename).where(
                Asset.id.in_(asset_ids), Asset.deleted_at.is_(None),
                Asset.media_type == "image", visible_clause(viewer))).all())
        yield from ((i, names[i]) for i in dict.fromkeys(asset_ids) if i in names)
        return
    parsed = language.parse(query, SearchQuery(viewer=viewer, media_type="image"))
    cursor = None
    while True:
        with rt.session() as session:
            page = engine.search(rt, session, parsed, PAGE, cursor)
            for hit in page.items:
                yield hit.asset.id, hit.asset.original_filename
        cursor = page.next_cursor
        if not cursor:
            return


def export(rt: Runtime, viewer: int, query: str, opts: Options, fmt: str,
           folder: Path | None = None, archive: Path | None = None,
           progress: Callable[[int, int], None] | None = None,
           asset_ids: list[int] | None = None) -> Exported:
    if (folder is None) == (archive is None):
        raise InvalidInput("give a folder or a ZIP to write to, one of them")
    check(opts, fmt, service.limits(rt))
    found = list(matching(rt, viewer, query, asset_ids))
    names = safe_unique_names(f"{PurePath(name).stem or 'photo'}.{fmt}" for _, name in found)
    result = Exported()
    partial = None
    if archive is not None:
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(f".{archive.name}.part")
        sink: zipfile.ZipFile | None = zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED)
    else:
        assert folder is not None
        folder.mkdir(parents=True, exist_ok=True)
        sink = None
    try:
        for done, ((asset_id, _), name) in enumerate(zip(found, names, strict=True), 1):
            try:
                made = service.rendition(rt, asset_id, opts, fmt, viewer)
                with rt.storage.open(made.key) as fh:
                    data = fh.read()
            except AlbumenError as exc:
                result.failed.append({"asset_id": asset_id, "error": exc.message})
                continue
            finally:
                if progress is not None:
                    progress(done, len(found))
            if sink is not None:
                sink.writestr(name, data)
            else:
                assert folder is not None
                temporary = folder / f".{name}.part"
                temporary.write_bytes(data)
                os.replace(temporary, folder / name)
            result.written += 1
            result.bytes += len(data)
        if sink is not None:
            sink.close()
            sink = None
            assert partial is not None and archive is not None
            os.replace(partial, archive)
    finally:
        if sink is not None:  # interrupted: no half-written ZIP left behind
            sink.close()
            if partial is not None:
                partial.unlink(missing_ok=True)
    return result
