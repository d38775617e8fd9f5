"""What every CLI command shares: the runtime, the --json option, errors, whose library."""

from __future__ import annotations

from typing import Annotated

import typer

from albumen.cli.output import err_console, print_json
from albumen.config import get_settings
from albumen.errors import AlbumenError
from albumen.logging import setup_logging
from albumen.runtime import Runtime, get_runtime

JsonOpt = Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")]


def runtime(migrate: bool = True) -> Runtime:
    """The process's runtime, logging set up, the database migrated (unless ``migrate`` is
    False: a command that creates the installation itself, as restore does)."""
    settings = get_settings()
    setup_logging(settings.log_level if settings.log_level != "INFO" else "WARNING",
                  settings.log_json)
    rt = get_runtime()
    if migrate:
        rt.migrate()
    return rt


def fail(exc: AlbumenError, as_json: bool) -> None:
    if as_json:
        print_json(exc.to_dict())
    else:
        err_console.print(f"[red]error:[/red] {exc.message}")
    raise typer.Exit(1)


def owner(rt: Runtime, user: str | None) -> int | None:
    """The user an import belongs to; before any user exists, nobody (the first admin adopts
    it)."""
    from sqlalchemy import select

    from albumen.accounts.users import find_user
    from albumen.db.models import User

    with rt.session() as session:
        if user:
            return find_user(session, user).id
        return session.scalar(select(User.id).where(User.is_admin, User.is_active)
                              .order_by(User.id).limit(1))


UserOpt = Annotated[str | None, typer.Option(
    "--user", "-u", help="whose library (default: the first administrator)")]
