"""Where an import comes from: folders of files (with their XMP sidecars), or another
system's export. One entry point for the CLI (``albumen import --from``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from albumen.errors import InvalidInput
from albumen.library.importer import ImportReport, import_paths
from albumen.library.ingest import IngestResult
from albumen.runtime import Runtime

SOURCES = ("files", "takeout")


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
    raise InvalidInput(f"--from is one of {', '.join(SOURCES)}, not {source!r}")
