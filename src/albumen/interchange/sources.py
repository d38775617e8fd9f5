"""Where an import comes from: folders of files (with their XMP sidecars), or another
system's export. One entry point for the CLI (``albumen import --from``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from albumen.errors import InvalidInput
from albumen.library.importer import ImportReport, import_paths
from albumen.library.ingest import IngestResult
from albumen.runtime import Runtime

SOURCES = ("files", "takeout", "photoprism", "immich")
# Immich's UPLOAD_LOCATION: originals live in library/ (storage template on) and upload/;
# thumbs/, encoded-video/, profile/ and backups/ are Immich's own copies and dumps.
IMMICH_ORIGINALS = ("library", "upload")


def import_from(rt: Runtime, source: str, paths: list[Path], owner_id: int | None,
                on_result: Callable[[IngestResult], None] | None = None) -> ImportReport:
    """Import ``paths`` read as ``source`` describes them; a re-run adds nothing twice."""
    if source == "files":
        return import_paths(rt, paths, owner_id, on_result)
    if source == "takeout":
        from albumen.interchange.takeout import TakeoutReport, import_takeout

        report = TakeoutReport()
        for path in paths:
            part = import_takeout(rt, path, owner_id, on_result)
            report.results += part.results
            report.albums.update(part.albums)
            report.edits_linked += part.edits_linked
        return report
    if source == "photoprism":
        from albumen.interchange.photoprism import PhotoPrismReport, import_photoprism

        prism = PhotoPrismReport()
        for path in paths:
            one = import_photoprism(rt, path, owner_id, on_result)
            prism.results += one.results
            prism.albums.update(one.albums)
        return prism
    if source == "immich":
        return import_paths(rt, [f for p in paths for f in immich_originals(p)], owner_id,
                            on_result)
    raise InvalidInput(f"--from is one of {', '.join(SOURCES)}, not {source!r}")


def immich_originals(root: Path) -> list[Path]:
    """The folders of an Immich UPLOAD_LOCATION that hold originals (with the XMP sidecars
    Immich writes beside them), or the folder itself when it is one of them."""
    found = [root / name for name in IMMICH_ORIGINALS if (root / name).is_dir()]
    return found or [root]
