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
from albumen.library import sidecars
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


Found = tuple["sidecars.Sidecar | None", "IngestResult | None"]


class Companions:
    """The files that come with a photo rather than being one: XMP sidecars here; another
    system's records (Takeout's JSON) in interchange/. ``companion`` (called in the walking
    thread, in file order) gives a file's metadata, or the rejection of an unusable one;
    ``lone`` is called for each companion file met on the walk (None: it has its photo)."""

    def __init__(self) -> None:
        self._listing = _Listings()

    def is_companion(self, path: Path) -> bool:
        return path.suffix.lower() == sidecars.SIDECAR_SUFFIX

    def companion(self, path: Path) -> Found:
        return _sidecar(path)

    def lone(self, path: Path) -> IngestResult | None:
        return lone_sidecar(path, self._listing)


def import_file(rt: Runtime, path: Path, owner_id: int | None = None,
                stop: threading.Event | None = None, found: Found | None = None
                ) -> IngestResult:
    """Import one file with its metadata companion (``found``; by default its XMP sidecar)."""
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
    sidecar, sidecar_error = found if found is not None else _sidecar(path)
    with rt.session() as session:
        known = already_imported(session, abspath, stat.st_size, stat.st_mtime_ns,
                                 f"u{owner_id or 0}")
    if known is not None:
        result = IngestResult("skipped", path.name, known, reason="already imported", path=shown)
        if sidecar is not None:  # edited in another program since: read again
            sidecars.merge(rt, known, sidecar)
        return _with_sidecar(result, sidecar, sidecar_error)
    origin = Origin("import", os.fsdecode(path.name), abspath, stat.st_size, stat.st_mtime_ns,
                    owner_id, sidecar=sidecar)
    return _with_sidecar(_ingest(rt, path, origin, shown, stop), sidecar, sidecar_error)


def _sidecar(path: Path) -> tuple[sidecars.Sidecar | None, IngestResult | None]:
    """The file's XMP sidecar, or the rejection of one that is unusable (the file itself is
    imported all the same)."""
    found = sidecars.sidecar_path(path)
    if found is None:
        return None, None
    try:
        return sidecars.load(found), None
    except RejectedFile as exc:
        return None, rejected(found.name, exc, os.fsencode(found).decode("utf-8",
                                                                         "backslashreplace"))


def _with_sidecar(result: IngestResult, sidecar: sidecars.Sidecar | None,
                  error: IngestResult | None) -> IngestResult:
    if result.outcome != "rejected":
        result.sidecar = sidecar.name if sidecar is not None else None
        result.sidecar_result = error
    return result


def _ingest(rt: Runtime, path: Path, origin: Origin, shown: str,
            stop: threading.Event | None) -> IngestResult:
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


def lone_sidecar(path: Path, listing: Callable[[Path], set[str]]) -> IngestResult | None:
    """An XMP file is imported with the file it describes; one whose file is not there is
    reported (``listing`` gives a folder's names, lower-cased, read once per folder)."""
    names = listing(path.parent)
    stem = path.name[: -len(sidecars.SIDECAR_SUFFIX)].lower()
    if stem in names or any(n.rsplit(".", 1)[0] == stem and not n.endswith(".xmp")
                            for n in names):
        return None
    shown = os.fsencode(path).decode("utf-8", "backslashreplace")
    return rejected(path.name, RejectedFile(
        f"sidecar for a file that is not there ({path.name[:-4]}): nothing to attach it to"),
        shown)


def import_paths(
    rt: Runtime,
    paths: list[Path],
    owner_id: int | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    companions: Companions | None = None,
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
        companions = companions or Companions()
        for path in iter_files(paths):
            if companions.is_companion(path) and path.is_file():
                lone = companions.lone(path)
                if lone is not None:
                    _collect(report, lone, on_result)
                continue
            # A small window of files in flight: a folder of any size is walked lazily, and
            # an interrupted import stops with the files already being stored.
            pending.append(pool.submit(import_file, rt, path, owner_id, stop,
                                       companions.companion(path)))
            if len(pending) >= 2 * threads:
                _collect(report, pending.popleft().result(), on_result)
        while pending:
            _collect(report, pending.popleft().result(), on_result)
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


class _Listings:
    """A folder's file names (lower-cased), read once per import."""

    def __init__(self) -> None:
        self._seen: dict[Path, set[str]] = {}

    def __call__(self, folder: Path) -> set[str]:
        if folder not in self._seen:
            try:
                self._seen[folder] = {n.lower() for n in os.listdir(folder)}
            except OSError:
                self._seen[folder] = set()
        return self._seen[folder]


def _collect(report: ImportReport, result: IngestResult,
             on_result: Callable[[IngestResult], None] | None) -> None:
    for each in (result, result.sidecar_result):
        if each is None:
            continue
        report.results.append(each)
        if on_result:
            on_result(each)
