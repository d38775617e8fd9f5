"""albumen backup, restore, migrate, verify: data safety for operators (thin wrappers over
operations/backup.py, restore.py, transfer.py, verify.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from albumen.cli.common import JsonOpt, fail, runtime
from albumen.cli.output import console, err_console, print_json
from albumen.cli.progress import exit_status, stop_cleanly_on_sigterm
from albumen.errors import AlbumenError


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int | None], None]]:
    """A callback (phase, done, total) drawing one bar per phase on stderr."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(),
                  console=err_console, disable=quiet, transient=False) as bars:
        tasks: dict[str, TaskID] = {}

        def update(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bars.add_task(phase, total=total)
            bars.update(tasks[phase], completed=done, total=total)

        yield update


def _problems(doc: dict[str, Any], key: str = "problems") -> None:
    for problem in doc.get(key, []):
        console.print(f"[red]problem[/red]: {problem}")


def backup(
    dest: Annotated[Path, typer.Argument(help="a new (or empty) directory")],
    full: Annotated[bool, typer.Option("--full", help="also copy every stored object")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Back up the database and the list of stored objects (--full: the objects too).

    The database snapshot is consistent while albumen runs."""
    from albumen.operations.backup import backup as run_backup

    rt = runtime()
    try:
        with _progress(as_json) as progress:
            manifest = run_backup(rt, dest, full=full, progress=progress)
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json({"path": str(dest.expanduser().absolute()), **manifest})
        return
    rows = sum(t["rows"] for t in manifest["tables"].values())
    s = manifest["storage"]
    console.print(f"backup written to {dest}: {rows:,} rows in {len(manifest['tables'])} "
                  f"tables (schema {manifest['schema_revision']}), {s['objects']:,} objects "
                  f"({s['bytes']:,} bytes) {'copied' if full else 'listed'}")
    for key in s["damaged_originals"]:
        console.print(f"[yellow]warning[/yellow]: original {key} does not match its SHA-256 "
                      "(copied as it is; run `albumen verify`)")


def restore(
    src: Annotated[Path, typer.Argument(help="a directory written by `albumen backup`")],
    as_json: JsonOpt = False,
) -> None:
    """Restore a backup into this installation, which must be empty (or not exist yet).

    A backup that turns out damaged, or a restore stopped by Ctrl-C or SIGTERM, leaves the
    installation as it was: what was restored is removed, and so is an installation that
    the restore itself created."""
    from albumen.operations.restore import restore_installation

    rt = runtime(migrate=False)
    with stop_cleanly_on_sigterm():
        try:
            with _progress(as_json) as progress:
                doc = restore_installation(rt, src, progress=progress)
        except AlbumenError as exc:
            fail(exc, as_json)
        except KeyboardInterrupt as exc:
            err_console.print("interrupted: what was restored has been removed again")
            raise typer.Exit(exit_status(exc)) from None
    if as_json:
        print_json(doc)
    else:
        upgraded = f", upgraded from {doc['upgraded_from']}" if doc["upgraded_from"] else ""
        console.print(f"restored {sum(doc['tables'].values()):,} rows and "
                      f"{doc['objects']['restored']:,} objects from {src} (taken "
                      f"{doc['created_at']}{upgraded}); counts and checksums match")
        _problems(doc)
    if doc["problems"]:
        raise typer.Exit(1)


def migrate(
    database: Annotated[str, typer.Option("--database", help="target database URL")],
    storage: Annotated[str, typer.Option("--storage", help="target storage URL")],
    as_json: JsonOpt = False,
) -> None:
    """Copy this installation to a new database and storage.

    The source is only read; run it again after an interruption to continue."""
    from albumen.operations.transfer import migrate_installation

    rt = runtime()
    try:
        with _progress(as_json) as progress:
            doc = migrate_installation(rt, database, storage, progress=progress)
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json(doc)
    else:
        o = doc["objects"]
        console.print(f"tables: {len(doc['tables'])} copied and compared; objects: "
                      f"{o['copied']:,} copied, {o['already_present']:,} already there, "
                      f"{o['originals_hashed']:,} originals re-hashed")
        for warning in doc["warnings"]:
            console.print(f"[yellow]warning[/yellow]: {warning}")
        _problems(doc)
        if doc["ok"]:
            console.print("done. To switch to the new database and storage, set:")
            for name, value in doc["switch"].items():
                console.print(f"  {name}={value}", markup=False, soft_wrap=True)
    if not doc["ok"]:
        raise typer.Exit(1)


def verify(
    sample: Annotated[int, typer.Option("--sample", min=0,
                                        help="originals to re-hash, picked at random")] = 100,
    full: Annotated[bool, typer.Option("--full", help="re-hash every original")] = False,
    repair: Annotated[bool, typer.Option(
        "--repair", help="re-queue missing thumbnails and previews (never deletes)")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check stored files against the database.

    Finds corrupt or missing originals, orphaned files, missing thumbnails and previews;
    exits 1 when problems remain."""
    from albumen.operations.verify import verify as run_verify

    rt = runtime()
    with _progress(as_json) as progress:
        doc = run_verify(rt, sample=sample, full=full, repair=repair, progress=progress)
    if as_json:
        print_json(doc)
    else:
        c = doc["checked"]
        console.print(f"checked {c['objects']:,} objects and {c['assets']:,} assets; "
                      f"re-hashed {c['originals_hashed']:,} originals ({doc['mode']})")
        labels = {"corrupt_originals": "corrupt original (content does not match its name)",
                  "missing_originals": "missing original",
                  "orphans": "orphaned file (nothing refers to it)",
                  "missing_derivatives": "missing thumbnail/preview",
                  "missing_face_crops": "missing face crop"}
        for name, label in labels.items():
            finding = doc[name]
            if finding["count"]:
                console.print(f"[red]{finding['count']:,} {label}[/red]")
                for item in finding["items"][:20]:
                    console.print(f"  {item}", markup=False)
        if doc["repair"] is not None:
            console.print(f"repair: re-queued {doc['repair']['queued']:,} photo(s) for "
                          "their thumbnail and preview")
        console.print("no problems found" if doc["ok"]
                      else f"{doc['unrepaired']:,} problem(s) not repaired")
    if not doc["ok"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("migrate")(migrate)
    app.command("verify")(verify)
