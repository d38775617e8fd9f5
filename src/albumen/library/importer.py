"""`albumen import`: walk folders and ingest every file, reporting each outcome."""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK

from albumen.errors import AlbumenError, RejectedFile
from albumen.library.ingest import IngestResult, Origin, already_imported, ingest, rejected
from albumen.runtime import Runtime

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
# Operating-system clutter that is never a photo; skipped without being reported as rejected.
_JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", ".picasa.ini"}


@dataclass
class ImportReport:
    results: list[IngestResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(r.outcome for r in self.results)
        return {k: counts.get(k, 0) for k in ("imported", "duplicate", "skipped", "rejected")}

    @property
    def asset_ids(self) -> list[int]:
        """The assets of the files, in the order of the files (each once)."""
        return list(dict.fromkeys(r.asset_id for r in self.results if r.asset_id is not None))

    def to_dict(self) -> dict[str, object]:
        return {
            "counts": self.counts,
            "rejected": [r.to_dict() for r in self.results if r.outcome == "rejected"],
            "results": [r.to_dict() for r in self.results],
        }


def iter_files(paths: list[Path]) -> Iterator[Path]:
    for root in paths:
        if root.is_file():
            yield root
            continue
        if not root.is_dir():
            yield root  # reported as missing by import_file
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name in _JUNK_NAMES or name.startswith("._"):
                    continue
                yield Path(dirpath) / name


class ImportStopped(Exception):
    """The import is being interrupted: the file being read is given up (its staged copy is
    removed as the ingest's staging context ends)."""


def _chunks(path: Path, stop: threading.Event | None = None) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if stop is not None and stop.is_set():
                raise ImportStopped(f"interrupted while reading {path.name}")
            yield chunk


def _kind(mode: int) -> str:
    for test, name in ((S_ISFIFO, "a named pipe"), (S_ISCHR, "a character device"),
                       (S_ISBLK, "a block device"), (S_ISSOCK, "a socket"),
                       (S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a file"


def import_file(rt: Runtime, path: Path, owner_id: int | None = None,
                stop: threading.Event | None = None) -> IngestResult:
    shown = os.fsencode(path).decode("utf-8", "backslashreplace")
    try:
        stat = path.stat()  # of what a link points to: a link to a device is a device
    except OSError as exc:
        return rejected(path.name, RejectedFile(f"cannot read: {exc.strerror}"), shown)
    if not S_ISREG(stat.st_mode):
        # Reading a named pipe waits for a writer for ever; a device never ends.
        return rejected(path.name, RejectedFile(f"not a regular file ({_kind(stat.st_mode)}): "
                                                "skipped"), shown)
    # Paths that are not valid UTF-8 are kept with their odd bytes escaped (\xNN).
    abspath = os.fsencode(path.resolve()).decode("utf-8", "backslashreplace")
    with rt.session() as session:
        known = already_imported(session, abspath, stat.st_size, stat.st_mtime_ns,
                                 f"u{owner_id or 0}")
    if known is not None:
        return IngestResult("skipped", path.name, known, reason="already imported", path=shown)
    origin = Origin("import", os.fsdecode(path.name), abspath, stat.st_size, stat.st_mtime_ns,
                    owner_id)
    try:
        result = ingest(rt, _chunks(path, stop), origin)
    except RejectedFile as exc:
        return rejected(path.name, exc, shown)
    except AlbumenError as exc:
        return rejected(path.name, RejectedFile(exc.message), shown)
    except OSError as exc:
        return rejected(path.name, RejectedFile(f"cannot read: {exc.strerror or exc}"), shown)
    result.path = shown
    return result


def import_paths(
    rt: Runtime,
    paths: list[Path],
    owner_id: int | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
) -> ImportReport:
    """Import every file under ``paths``, ``rt.settings.import_threads`` files at a time (reading,
    hashing and fsyncing overlap); results come back in the order of the files.

    Interrupted (KeyboardInterrupt, or the CLI's SIGTERM turned into one), the files being
    read are given up at their next chunk and their staged copies removed; what was already
    stored stays, and a re-run skips it. Staged files that an earlier import left when it
    was killed outright are removed first."""
    remove_abandoned(rt)
    report = ImportReport()
    threads = max(1, rt.settings.import_threads)
    pool = ThreadPoolExecutor(threads, thread_name_prefix="import")
    pending: deque[Future[IngestResult]] = deque()
    stop = threading.Event()
    try:
        for path in iter_files(paths):
            # A small window of files in flight: a folder of any size is walked lazily, and
            # an interrupted import stops with the files already being stored.
            pending.append(pool.submit(import_file, rt, path, owner_id, stop))
            if len(pending) >= 2 * threads:
                _collect(report, pending.popleft(), on_result)
        while pending:
            _collect(report, pending.popleft(), on_result)
    except BaseException:
        stop.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return report


def remove_abandoned(rt: Runtime) -> int:
    """Remove the temporary files that processes of this machine which no longer run (an
    import or upload killed mid-file) left in storage's tmp/; returns how many."""
    removed = 0
    for leftover in rt.storage.abandoned():
        rt.storage.remove_leftover(leftover)
        log.info("removed %s, left by a process that no longer runs", leftover.name)
        removed += 1
    return removed


def _collect(report: ImportReport, future: Future[IngestResult],
             on_result: Callable[[IngestResult], None] | None) -> None:
    result = future.result()
    report.results.append(result)
    if on_result:
        on_result(result)
