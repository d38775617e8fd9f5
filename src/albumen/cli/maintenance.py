"""albumen maintenance: the scheduled clean-up tasks, one by one or all, with --dry-run."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from albumen.cli.common import JsonOpt, runtime
from albumen.cli.output import console, print_json

maintenance_app = typer.Typer(
    help="Clean-up that workers also run on a schedule (ALBUMEN_MAINTENANCE_TASKS); "
         "--dry-run lists exactly what would change.", no_args_is_help=True)

DryRun = Annotated[bool, typer.Option("--dry-run", help="list what would change; change nothing")]


def _report(names: list[str] | None, dry_run: bool, as_json: bool) -> None:
    from albumen.operations import maintenance

    results = maintenance.run(runtime(), names, dry_run=dry_run)
    if as_json:
        print_json([r.as_dict() for r in results])
        return
    for result in results:
        verb = "would change" if dry_run else "changed"
        console.print(f"[bold]{result.task}[/bold]: {verb} {result.count}")
        if result.items:
            table = Table(*result.items[0].keys())
            for item in result.items:
                table.add_row(*("" if v is None else str(v) for v in item.values()))
            console.print(table)


def _command(name: str, help_text: str) -> None:
    def command(dry_run: DryRun = False, as_json: JsonOpt = False) -> None:
        _report([name], dry_run, as_json)

    command.__doc__ = help_text
    maintenance_app.command(name)(command)


def _register() -> None:
    from albumen.operations.maintenance import TASKS

    for name, task in TASKS.items():
        _command(name, " ".join((task.__doc__ or name).split("\n\n")[0].split()))


@maintenance_app.command("run")
def run_all(dry_run: DryRun = False, as_json: JsonOpt = False) -> None:
    """Every enabled task (ALBUMEN_MAINTENANCE_TASKS), as the workers run them."""
    _report(None, dry_run, as_json)


_register()
