"""albumen search, albumen timeline: the search service from the terminal, as a user sees it."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from albumen.cli.common import JsonOpt, UserOpt, fail, owner, runtime
from albumen.cli.output import console, print_json
from albumen.errors import AlbumenError


def _rows(session: Any, results: Any, viewer: int | None) -> dict[str, Any]:
    from albumen.api.search import SearchPage

    return SearchPage.of(session, results, viewer).model_dump(mode="json")


def _print_page(doc: dict[str, Any]) -> None:
    table = Table("id", "filename", "taken (local)", "camera", "score")
    for hit in doc["items"]:
        a = hit["asset"]
        taken = (a["taken_at_local"] or "")[:16].replace("T", " ")
        score = "" if hit["score"] is None else f"{hit['score']:.3f}"
        table.add_row(str(a["id"]), a["original_filename"], taken, a["camera_model"] or "",
                      score)
    console.print(table)
    if doc.get("note"):
        console.print(doc["note"], markup=False)
    for name, values in doc.get("facets", {}).items():
        console.print(f"[bold]{name}[/bold]: " + ", ".join(
            f"{v['value']} ({v['count']})" for v in values))
    if doc["next_cursor"]:
        console.print(f"more: --cursor {doc['next_cursor']}")


def _print_grid(doc: dict[str, Any]) -> None:
    table = Table("id", "date", "size", "favorite")
    for item in doc["items"]:
        table.add_row(str(item["id"]), item["local_date"],
                      f"{item['width'] or '?'}x{item['height'] or '?'}",
                      "*" if item["favorite"] else "")
    console.print(table)
    if doc["next_cursor"]:
        console.print(f"more: --cursor {doc['next_cursor']}")


def search(
    query: Annotated[str, typer.Argument(help='e.g. beach person:"Anna" after:2023-06')] = "",
    user: UserOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="page size")] = 50,
    cursor: Annotated[str | None, typer.Option(help="cursor from a previous page")] = None,
    facets: Annotated[str | None, typer.Option(help="people,places,years,cameras")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Search your library with the query language (photos you may see, best first)."""
    from albumen.search import engine, language
    from albumen.search.query import SearchQuery

    rt = runtime()
    try:
        viewer = owner(rt, user)
        parsed = language.parse(query, SearchQuery(viewer=viewer))
        wanted = tuple(f.strip() for f in (facets or "").split(",") if f.strip())
        with rt.session() as session:
            doc = _rows(session, engine.search(rt, session, parsed, limit, cursor, wanted),
                        viewer)
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json(doc)
    else:
        _print_page(doc)


def timeline(
    month: Annotated[str | None, typer.Argument(help="YYYY-MM: list that month's photos")] = None,
    event: Annotated[int | None, typer.Option(help="an event's timeline")] = None,
    user: UserOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 200,
    cursor: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOpt = False,
) -> None:
    """Months with photos and their counts; with a month, that month's photos."""
    from albumen.search import timeline as svc

    rt = runtime()
    try:
        viewer = owner(rt, user)
        with rt.session() as session:
            if month is None:
                doc: Any = [{"month": b.month, "count": b.count}
                            for b in svc.buckets(session, viewer, event)]
            else:
                from albumen.api.search import GridPage

                doc = GridPage.of(svc.bucket(rt, session, viewer, month, event, None, limit,
                                             cursor)).model_dump(mode="json")
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json(doc)
    elif month is None:
        table = Table("month", "photos")
        for b in doc:
            table.add_row(b["month"], str(b["count"]))
        console.print(table)
    else:
        _print_grid(doc)
