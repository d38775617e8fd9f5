"""albumen analytics: an event's dashboard, its anomalies, the instance's figures."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from albumen.cli.common import JsonOpt, fail, runtime
from albumen.cli.output import console, print_json
from albumen.errors import AlbumenError

analytics_app = typer.Typer(help="Engagement and operations figures, from what happened.",
                            no_args_is_help=True)


def _run(as_json: bool, compute: Any) -> Any:
    rt = runtime()
    try:
        with rt.session() as session:
            doc = compute(session)
    except AlbumenError as exc:
        fail(exc, as_json)
    if as_json:
        print_json(doc)
    return doc


@analytics_app.command("event")
def event(event_id: Annotated[int, typer.Argument(help="event id")],
          as_json: JsonOpt = False) -> None:
    """An event's totals, peak hours, top contributors and most viewed photos."""
    from albumen.insights.analytics import event_dashboard

    doc = _run(as_json, lambda s: event_dashboard(s, None, event_id))
    if as_json:
        return
    console.print(f"[bold]{doc['event']['title']}[/bold] ({doc['event']['timezone']})")
    totals = Table("figure", "value")
    for key, value in doc["totals"].items():
        totals.add_row(key.replace("_", " "), str(value))
    peaks = doc["peak_hours"]
    for key in ("upload_peak", "view_peak"):
        totals.add_row(key.replace("_", " "), "—" if peaks[key] is None else f"{peaks[key]:02d}:00")
    console.print(totals)
    people = Table("top contributors", "uploads", "approved")
    for row in doc["top_contributors"]:
        people.add_row(row["name"], str(row["uploads"]), str(row["approved"]))
    console.print(people)


@analytics_app.command("anomalies")
def anomalies(event_id: Annotated[int, typer.Argument(help="event id")],
              as_json: JsonOpt = False) -> None:
    """Upload or view spikes from one link or address, with the reason."""
    from albumen.insights.analytics import anomalies as find

    doc = _run(as_json, lambda s: find(s, None, event_id))
    if not as_json:
        for row in doc:
            console.print(row["reason"])
        if not doc:
            console.print("nothing unusual")


@analytics_app.command("instance")
def instance(hours: Annotated[int, typer.Option(min=1, help="the window for throughput")] = 24,
             as_json: JsonOpt = False) -> None:
    """Growth, storage by user, processing throughput, failures and latency."""
    from albumen.insights.analytics import instance_dashboard

    doc = _run(as_json, lambda s: instance_dashboard(s, hours=hours))
    if as_json:
        return
    table = Table("user", "storage (bytes)")
    for row in doc["storage_by_user"]:
        table.add_row(row["username"], f"{row['bytes']:,}")
    console.print(table)
    console.print(f"stages done in the last {hours} h: {doc['throughput']['stages_done']}; "
                  f"failed stages: {doc['failures']['total']}")


insights_app = typer.Typer(help="Audience segments and forecasts, for an event or the instance.",
                           no_args_is_help=True)
EventOpt = Annotated[int | None, typer.Option("--event", help="an event id (default: the "
                                                              "whole instance)")]


@insights_app.command("segments")
def segments(event: EventOpt = None,
             days: Annotated[int, typer.Option(min=1, max=3650, help="the instance's window")
                             ] = 90,
             as_json: JsonOpt = False) -> None:
    """Guests and users clustered by what they do, named, with their sizes and traits."""
    from albumen.insights import segments as svc

    doc = _run(as_json, lambda s: svc.event_segments(s, None, event) if event is not None
               else svc.instance_segments(s, days=days))
    if as_json:
        return
    console.print(f"{doc['people']} people; {doc['method']}"
                  + (f", silhouette {doc['silhouette']}" if doc["silhouette"] is not None
                     else ""))
    for seg in doc["segments"]:
        console.print(f"\n[bold]{seg['name']}[/bold]: {seg['size']} ({seg['share']:.0%})")
        for trait in seg["traits"][:4]:
            console.print(f"  {trait}")
        names = ", ".join(e["name"] for e in seg["examples"])
        console.print(f"  e.g. {names}", style="dim")


@insights_app.command("forecast")
def forecast(event: EventOpt = None,
             metric: Annotated[str, typer.Option(help="uploads or views")] = "uploads",
             horizon: Annotated[int | None, typer.Option(
                 help="hours ahead for an event (24), days for the instance (14)")] = None,
             as_json: JsonOpt = False) -> None:
    """Uploads or views for the next hours of an event or days of the instance, with the 80 %
    interval, and warnings (storage quota, moderation queue)."""
    from albumen.insights import forecast as svc

    doc = _run(as_json, lambda s: svc.event_forecast(s, None, event, metric, horizon or 24)
               if event is not None else svc.instance_forecast(s, metric, horizon or 14))
    if as_json:
        return
    if doc["note"]:
        console.print(doc["note"])
        return
    table = Table(doc["bucket"], f"{metric} (forecast)", "80 % interval")
    for point in doc["forecast"]:
        table.add_row(point["start"], f"{point['count']:.1f}",
                      f"{point['low']:.1f} - {point['high']:.1f}")
    console.print(table)
    console.print(f"expected in all: {doc['total']:.0f}  ({doc['method']})", style="dim")
    for warning in doc["warnings"]:
        console.print(f"[bold yellow]warning:[/bold yellow] {warning['message']}")
