"""`albumen tiers`: curation tiers — what each means, and setting them."""

from __future__ import annotations

from typing import Annotated

import typer

from albumen.cli.common import JsonOpt, fail, runtime
from albumen.cli.output import console, print_json
from albumen.errors import AlbumenError

tiers_app = typer.Typer(help="Curation tiers: bronze (as it arrived), silver (reviewed), "
                             "gold (selected, metadata complete).", no_args_is_help=True)


@tiers_app.command("set")
def set_tier(ids: Annotated[list[int], typer.Argument(help="asset ids, then the tier",
                                                      metavar="ID...")],
             tier: Annotated[str, typer.Argument(help="bronze, silver or gold")],
             as_json: JsonOpt = False) -> None:
    """Put assets in a tier (as the operator); each is changed or refused with its reason."""
    from albumen.accounts.audit import SYSTEM
    from albumen.library import tiers

    rt = runtime()
    try:
        result = tiers.set_tier(rt, ids, tier.lower(), SYSTEM)
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json({"tier": result.tier, "changed": result.changed,
                    "unchanged": result.unchanged,
                    "refused": [{"asset_id": i, "reason": r} for i, r in result.refused.items()]})
    else:
        console.print(f"{len(result.changed)} now {result.tier}, {len(result.unchanged)} were "
                      f"already, {len(result.refused)} refused")
        for asset_id, reason in result.refused.items():
            console.print(f"  asset {asset_id}: {reason}")
    if result.refused:
        raise typer.Exit(1)


@tiers_app.command("rules")
def rules(as_json: JsonOpt = False) -> None:
    """What each tier means, what it takes, and how many assets are in it."""
    from albumen.library import tiers

    rt = runtime()
    with rt.session() as session:
        counted = tiers.counts(session, None)
    doc = [{**rule, "count": counted[str(rule["tier"])]} for rule in tiers.rules()]
    if as_json:
        print_json(doc)
        return
    for rule in doc:
        console.print(f"[bold]{rule['tier']}[/bold] ({rule['count']}): {rule['meaning']}")
        for need in rule["requires"]:  # type: ignore[attr-defined]
            console.print(f"  needs {need}")
