"""Charts of an event's analytics as PNG or SVG (matplotlib's object API: no pyplot, no
global state, safe in worker threads)."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from matplotlib.collections import PolyCollection
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from albumen.errors import InvalidInput

ACCENT, SECOND, INK, MUTED, GRID = "#c2570c", "#2457d6", "#151a23", "#5b6474", "#e1e4ea"
CHARTS = ("uploads", "views", "peak-hours", "contributors")
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def _figure(width: float = 8, height: float = 3.2) -> tuple[Figure, Any]:
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GRID)
    ax.tick_params(colors=MUTED, labelsize=9)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax


def _title(ax: Any, text: str) -> None:
    ax.set_title(text, loc="left", fontsize=12, fontweight="bold", color=INK, pad=10)


def over_time(series: list[dict[str, Any]], title: str, color: str = ACCENT) -> Figure:
    fig, ax = _figure()
    _title(ax, title)
    if not series:
        ax.text(0.5, 0.5, "nothing yet", ha="center", va="center", color=MUTED,
                transform=ax.transAxes)
        ax.set_xticks([])
        return fig
    starts = [datetime.fromisoformat(p["start"]) for p in series]
    counts = [p["count"] for p in series]
    zone = starts[0].tzinfo
    step = (starts[1] - starts[0]).total_seconds() / 86400 if len(starts) > 1 else 1 / 24
    _bars(ax, starts, counts, step * 0.85, color)
    if len(starts) < 6:  # a few bars: leave room around them instead of filling the width
        from datetime import timedelta

        pad = timedelta(days=step) * (6 - len(starts)) / 2
        ax.set_xlim(starts[0] - pad, starts[-1] + timedelta(days=step) + pad)
    locator = AutoDateLocator(tz=zone)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=zone))
    ax.yaxis.get_major_locator().set_params(integer=True)
    return fig


def _bars(ax: Any, starts: list[datetime], counts: list[int], width: float, color: str
          ) -> None:
    """Bars from each start (dates; ``width`` in days) drawn as one collection: the same
    pixels as ``ax.bar``, which makes, places and measures one patch per bar (about a quarter
    of the time of a chart of a few days by the hour)."""
    ax.xaxis.update_units(starts)  # a date axis, as ax.bar would make it
    left = date2num(starts)
    bars = PolyCollection([[(x, 0), (x + width, 0), (x + width, n), (x, n), (x, 0)]
                           for x, n in zip(left, counts, strict=True)],
                          facecolors=color, edgecolors="none", linewidths=0)
    bars.sticky_edges.y.append(0)  # the bars stand on the x axis, no margin below
    ax.add_collection(bars)
    ax.autoscale_view()  # (matplotlib < 3.11 does not on adding a collection)


def peak_hours(hours: list[int], title: str = "Uploads by hour of the day") -> Figure:
    fig, ax = _figure()
    _title(ax, title)
    peak = max(range(24), key=lambda h: hours[h]) if any(hours) else None
    colors = [ACCENT if h == peak else "#f0b48a" for h in range(24)]
    ax.bar(range(24), hours, color=colors)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}:00" for h in range(0, 24, 3)])
    ax.yaxis.get_major_locator().set_params(integer=True)
    return fig


def contributors(rows: list[dict[str, Any]], title: str = "Top contributors") -> Figure:
    rows = rows[:10]
    fig, ax = _figure(height=max(2.0, 0.3 * len(rows) + 0.9))
    _title(ax, title)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    names = [r["name"] for r in rows][::-1]
    ax.barh(names, [r["uploads"] for r in rows][::-1], color="#f0b48a", label="uploaded")
    ax.barh(names, [r["approved"] for r in rows][::-1], color=ACCENT, label="approved")
    ax.xaxis.get_major_locator().set_params(integer=True)
    if rows:
        ax.legend(frameon=False, fontsize=9, loc="lower right")
    return fig


def forecast(doc: dict[str, Any], title: str, days: int = 7) -> Figure:
    """The last ``days`` of history as bars, the forecast as a line with its interval as a
    band (insights/forecast.py's result)."""
    fig, ax = _figure()
    _title(ax, title)
    step = 1 if doc["bucket"] == "hour" else 24
    history = doc["history"][-days * 24 // step:]
    if not history and not doc["forecast"]:
        ax.text(0.5, 0.5, doc["note"] or "nothing yet", ha="center", va="center",
                color=MUTED, transform=ax.transAxes)
        ax.set_xticks([])
        return fig
    if history:
        starts = [datetime.fromisoformat(p["start"]) for p in history]
        _bars(ax, starts, [p["count"] for p in history], step / 24 * 0.85, "#f0b48a")
    if doc["forecast"]:
        ahead = [datetime.fromisoformat(p["start"]) for p in doc["forecast"]]
        ax.xaxis.update_units(ahead)
        ax.fill_between(ahead, [p["low"] for p in doc["forecast"]],
                        [p["high"] for p in doc["forecast"]], color=SECOND, alpha=0.18,
                        linewidth=0, label=f"{doc['interval']:.0%} interval")
        ax.plot(ahead, [p["count"] for p in doc["forecast"]], color=SECOND, linewidth=1.8,
                label="forecast")
        ax.legend(frameon=False, fontsize=9, loc="upper left")
    zone = datetime.fromisoformat((history or doc["forecast"])[0]["start"]).tzinfo
    locator = AutoDateLocator(tz=zone)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=zone))
    ax.set_ylim(bottom=0)
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise InvalidInput("a chart is png or svg")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, facecolor="white",
                metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()


def event_chart(dashboard: dict[str, Any], name: str) -> Figure:
    """One of CHARTS, from an event dashboard (services.analytics.event_dashboard)."""
    if name == "uploads":
        daily = len(dashboard["uploads_by_hour"]) > 72
        return over_time(dashboard["uploads_by_day" if daily else "uploads_by_hour"],
                         f"Uploads per {'day' if daily else 'hour'}")
    if name == "views":
        daily = len(dashboard["views_by_hour"]) > 72
        return over_time(dashboard["views_by_day" if daily else "views_by_hour"],
                         f"Views per {'day' if daily else 'hour'}", SECOND)
    if name == "peak-hours":
        return peak_hours(dashboard["peak_hours"]["uploads"])
    if name == "contributors":
        return contributors(dashboard["top_contributors"])
    raise InvalidInput(f"charts: {', '.join(CHARTS)}")
