"""`albumen recommend`: what a user is likely to like, and training the recommender."""

from __future__ import annotations

from typing import Annotated

import typer

from albumen.cli.common import JsonOpt, UserOpt, fail, owner, runtime
from albumen.cli.output import console, print_json
from albumen.errors import AlbumenError

recommend_app = typer.Typer(help="Recommendations from the engagement log.",
                            invoke_without_command=True)


@recommend_app.callback()
def recommend(ctx: typer.Context, user: UserOpt = None,
              limit: Annotated[int, typer.Option(min=1, max=100)] = 20,
              event: Annotated[int | None, typer.Option(help="only this event's photos")] = None,
              as_json: JsonOpt = False) -> None:
    """Photos U is likely to like (default: the first administrator), each with the reason."""
    if ctx.invoked_subcommand is not None:
        return
    from albumen.discovery.recommend import Viewer
    from albumen.discovery.recommend import recommend as run

    rt = runtime()
    try:
        viewer = owner(rt, user)
        if viewer is None:
            raise AlbumenError("no user yet: create one with albumen users create")
        with rt.session() as session:
            recs = run(rt, session, Viewer.user(viewer, event), limit)
    except AlbumenError as exc:
        fail(exc, as_json)
    rows = [{"asset_id": r.asset_id, "score": round(r.score, 4), "reason": r.reason,
             "source": r.source} for r in recs]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['asset_id']:>8}  {row['reason']}  [dim]({row['source']})[/dim]")


@recommend_app.command("train")
def train(as_json: JsonOpt = False) -> None:
    """Train the recommender now on the whole engagement log (workers do it daily)."""
    from albumen.discovery import model

    rt = runtime()
    trained = model.train(rt)
    doc = {"actors": len(trained.actors), "photos": len(trained.assets),
           "interactions": int(trained.seen.nnz), "trained_at": trained.trained_at.isoformat()}
    if as_json:
        print_json(doc)
    else:
        console.print(f"trained on {doc['interactions']:,} interactions of {doc['actors']:,} "
                      f"users and guests with {doc['photos']:,} photos")


@recommend_app.command("like")
def like(asset_id: Annotated[int, typer.Argument(help="a photo's id")], user: UserOpt = None,
         limit: Annotated[int, typer.Option(min=1, max=100)] = 24,
         as_json: JsonOpt = False) -> None:
    """More like this photo (that U may see): the same people, look, burst, place, time,
    text (and content, with CLIP), each with its reasons."""
    from albumen.discovery.related import more_like_this

    rt = runtime()
    try:
        viewer = owner(rt, user)
        if viewer is None:
            raise AlbumenError("no user yet: create one with albumen users create")
        with rt.session() as session:
            found = more_like_this(rt, session, viewer, asset_id, limit)
    except AlbumenError as exc:
        fail(exc, as_json)
    rows = [{"asset_id": r.asset_id, "score": r.score, "reasons": r.reasons,
             "signals": r.signals} for r in found]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['asset_id']:>8}  {', '.join(row['reasons'])}")
    if not rows:
        console.print("nothing like it yet")


def memories(
    day: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today, UTC)")] = None,
    user: UserOpt = None,
    build: Annotated[bool, typer.Option("--build", help="build them again first")] = False,
    as_json: JsonOpt = False,
) -> None:
    """U's memories of a day: on this day, trips, people over the years, anniversaries."""
    from datetime import date

    from albumen.db.base import utcnow
    from albumen.db.models import Memory
    from albumen.discovery import memories as svc
    from albumen.errors import InvalidInput

    rt = runtime()
    try:
        try:
            when = date.fromisoformat(day) if day else utcnow().date()
        except ValueError:
            raise InvalidInput(f"--day {day!r} is not a date (YYYY-MM-DD)") from None
        viewer = owner(rt, user)
        if viewer is None:
            raise AlbumenError("no user yet: create one with albumen users create")
        with rt.session() as session:
            from sqlalchemy import select

            known = session.scalar(select(Memory.id).where(Memory.owner_id == viewer,
                                                           Memory.day == when).limit(1))
        if build or known is None:
            svc.build(rt, viewer, when)
        with rt.session() as session:
            shown = svc.for_day(session, viewer, when)
    except AlbumenError as exc:
        fail(exc, as_json)
    rows = [{"id": m.id, "kind": m.kind, "title": m.title, "subtitle": m.subtitle,
             "asset_ids": ids} for m, ids in shown]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['title']}  [dim]{row['subtitle'] or ''} "
                      f"({len(row['asset_ids'])} photos)[/dim]")
