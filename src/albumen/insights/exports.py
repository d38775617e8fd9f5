"""Exports of analytics tables and asset metadata: CSV, Excel (a sheet per table, real dates
and numbers) and Parquet (typed columns, UTC timestamps).

A table is a name, typed columns and rows; the writers stream rows into a temporary file
(Excel with xlsxwriter's constant-memory mode, Parquet in row groups), so a large activity
table never sits in memory whole.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from albumen.db.engagement import Activity
from albumen.db.models import Asset, Guest, Place, ShareLink, User
from albumen.errors import InvalidInput
from albumen.insights import analytics, segments

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "parquet": "application/vnd.apache.parquet"}
EXCEL_ROWS = 1_048_575  # a sheet's limit, less its header
CHUNK = 5000

# Column types: "int", "float", "text", "bool", "time" (an aware datetime), "local" (a
# wall-clock datetime in the event's zone, written without a zone).


@dataclass
class Table:
    name: str
    columns: list[tuple[str, str]]
    rows: Callable[[], Iterable[tuple[Any, ...]]]  # called once per write


# --- tables ---------------------------------------------------------------------------------

def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=None)


def event_tables(session: Session, user_id: int | None, event_id: int) -> list[Table]:
    """The event dashboard's tables, who is in which audience segment, and the event's raw
    activity."""
    d = analytics.event_dashboard(session, user_id, event_id)
    totals = list(d["totals"].items())

    def series(key: str) -> Table:
        points = d[key]
        return Table(key, [("start", "local"), ("count", "int")],
                     lambda: [(_local(p["start"]), p["count"]) for p in points])

    contributors = d["top_contributors"]
    viewed = d["most_viewed"]
    names: dict[int, str] = {}
    if viewed:
        names = {i: n for i, n in session.execute(select(Asset.id, Asset.original_filename)
                                                  .where(Asset.id.in_([v["asset_id"]
                                                                       for v in viewed])))}
    return [
        Table("totals", [("metric", "text"), ("value", "int")], lambda: totals),
        series("uploads_by_hour"), series("uploads_by_day"),
        series("views_by_hour"), series("views_by_day"),
        Table("peak_hours", [("hour", "int"), ("uploads", "int"), ("views", "int")],
              lambda: [(h, d["peak_hours"]["uploads"][h], d["peak_hours"]["views"][h])
                       for h in range(24)]),
        Table("contributors", [("name", "text"), ("kind", "text"), ("uploads", "int"),
                               ("approved", "int")],
              lambda: [(c["name"], c["kind"], c["uploads"], c["approved"])
                       for c in contributors]),
        Table("most_viewed", [("asset_id", "int"), ("filename", "text"), ("views", "int")],
              lambda: [(v["asset_id"], names.get(v["asset_id"]), v["count"]) for v in viewed]),
        Table("segments", segments.MEMBER_COLUMNS,
              lambda: segments.event_members(session, user_id, event_id)),
        activity_table(session, event_id),
    ]


def activity_table(session: Session, event_id: int) -> Table:
    def rows() -> Iterator[tuple[Any, ...]]:
        guests = {i: n for i, n in session.execute(select(Guest.id, Guest.name).join(
            ShareLink, ShareLink.id == Guest.link_id).where(ShareLink.event_id == event_id))}
        users = {i: n for i, n in session.execute(select(User.id, User.username))}
        result = session.execute(
            select(Activity.at, Activity.kind, Activity.user_id, Activity.guest_id,
                   Activity.link_id, Activity.asset_id, Activity.ip, Activity.device)
            .where(Activity.event_id == event_id).order_by(Activity.at, Activity.id)
            .execution_options(yield_per=CHUNK))
        for at, kind, user_id, guest_id, link_id, asset_id, ip, device in result:
            yield (at, kind, users.get(user_id) if user_id else None,
                   guests.get(guest_id) if guest_id else None, guest_id, link_id, asset_id, ip,
                   device)

    return Table("activity", [("at", "time"), ("kind", "text"), ("user", "text"),
                              ("guest", "text"), ("guest_id", "int"), ("link_id", "int"),
                              ("asset_id", "int"), ("ip", "text"), ("device", "text")], rows)


ASSET_COLUMNS = [("id", "int"), ("filename", "text"), ("taken_at", "time"),
                 ("taken_local", "text"), ("camera_make", "text"), ("camera_model", "text"),
                 ("lens", "text"), ("width", "int"), ("height", "int"), ("size_bytes", "int"),
                 ("latitude", "float"), ("longitude", "float"), ("place", "text"),
                 ("rating", "int"), ("favorite", "bool"), ("moderation", "text"),
                 ("uploaded_by", "text"), ("added_at", "time"), ("tags", "text")]


def asset_table(session: Session, asset_ids: list[int], name: str = "assets") -> Table:
    """Metadata of these assets (already permission-checked by the caller), in this order."""
    def rows() -> Iterator[tuple[Any, ...]]:
        for start in range(0, len(asset_ids), CHUNK):
            chunk = asset_ids[start:start + CHUNK]
            found = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(chunk)))}
            places = {p.id: p for p in session.scalars(select(Place).where(Place.id.in_(
                {a.place_id for a in found.values() if a.place_id})))}
            for asset_id in chunk:
                a = found.get(asset_id)
                if a is None:
                    continue
                place = places.get(a.place_id) if a.place_id else None
                by = None
                if a.guest_id and (g := session.get(Guest, a.guest_id)):
                    by = g.name or f"guest {a.guest_id}"
                elif a.uploaded_by_id and (u := session.get(User, a.uploaded_by_id)):
                    by = u.username
                yield (a.id, a.original_filename, a.taken_at,
                       a.taken_at_local.replace(tzinfo=None).isoformat()
                       if a.taken_at_local else None,
                       a.camera_make, a.camera_model, a.lens, a.width, a.height, a.size,
                       a.latitude, a.longitude,
                       ", ".join(p for p in (place.city, place.country) if p) if place else None,
                       a.rating, a.favorite, a.moderation, by, a.created_at,
                       ", ".join(sorted(t.tag.name for t in a.tags)))

    return Table(name, ASSET_COLUMNS, rows)


# --- writers --------------------------------------------------------------------------------

def write(tables: list[Table], fmt: str, out: IO[bytes]) -> None:
    if fmt == "xlsx":
        _xlsx(tables, out)
    elif len(tables) != 1:
        raise InvalidInput(f"a {fmt} file holds one table: choose one with table=")
    elif fmt == "csv":
        _csv(tables[0], out)
    elif fmt == "parquet":
        _parquet(tables[0], out)
    else:
        raise InvalidInput(f"export formats: {', '.join(FORMATS)}")


def to_file(tables: list[Table], fmt: str) -> IO[bytes]:
    """The export in a temporary file, rewound (memory up to 8 MB, then disk)."""
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    write(tables, fmt, out)
    out.seek(0)
    return out


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _csv(table: Table, out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([name for name, _ in table.columns])
    for row in table.rows():
        writer.writerow([_text(v) for v in row])
    text.detach()


def _xlsx(tables: list[Table], out: IO[bytes]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(out, {"constant_memory": True, "remove_timezone": True,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    header = book.add_format({"bold": True, "bg_color": "#F3E3D6", "bottom": 1})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for table in tables:
        sheet = book.add_worksheet(table.name[:31])
        sheet.freeze_panes(1, 0)
        for col, (name, kind) in enumerate(table.columns):
            sheet.write_string(0, col, name, header)
            sheet.set_column(col, col, 22 if kind in ("time", "local") else
                             max(10, min(40, len(name) + 4)))
        n = 0
        for n, row in enumerate(table.rows(), start=1):
            if n > EXCEL_ROWS:
                break
            for col, ((_, kind), value) in enumerate(zip(table.columns, row, strict=True)):
                if value is None:
                    continue
                if kind == "time":
                    sheet.write_datetime(n, col, value.astimezone(UTC).replace(tzinfo=None),
                                         when)
                elif kind == "local":
                    sheet.write_datetime(n, col, value, when)
                elif kind in ("int", "float"):
                    sheet.write_number(n, col, value)
                elif kind == "bool":
                    sheet.write_boolean(n, col, bool(value))
                else:
                    sheet.write_string(n, col, str(value))
        if n:
            sheet.autofilter(0, 0, min(n, EXCEL_ROWS), len(table.columns) - 1)
    book.close()


def _parquet(table: Table, out: IO[bytes]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"int": pa.int64(), "float": pa.float64(), "text": pa.string(), "bool": pa.bool_(),
             "time": pa.timestamp("us", tz="UTC"), "local": pa.timestamp("us")}
    schema = pa.schema([(name, types[kind]) for name, kind in table.columns])
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[tuple[Any, ...]] = []
        for row in table.rows():
            batch.append(row)
            if len(batch) >= CHUNK * 10:
                writer.write_table(_arrow(batch, schema))
                batch = []
        if batch:
            writer.write_table(_arrow(batch, schema))


def _arrow(rows: list[tuple[Any, ...]], schema: Any) -> Any:
    import pyarrow as pa

    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.table([pa.array(list(c), type=f.type) for c, f in zip(columns, schema,
                                                                     strict=True)],
                    schema=schema)


MAX_ASSETS = 200_000


def asset_ids_for(session: Session, viewer: int, *, event_id: int | None = None,
                  album_id: int | None = None, q: str | None = None) -> list[int]:
    """The assets of an event, an album or a search that the viewer may see, newest first."""
    from albumen.events.access import require_event
    from albumen.library.albums import get_album
    from albumen.search import engine, language
    from albumen.search.query import SearchQuery

    if event_id is not None:
        require_event(session, viewer, event_id)
    if album_id is not None:
        get_album(session, viewer, album_id)
    query = language.parse(q or "", SearchQuery(viewer=viewer, event_id=event_id,
                                                album_id=album_id))
    return list(session.scalars(engine.matching(session, query, Asset.id)
                                .order_by(Asset.local_at.desc(), Asset.id.desc())
                                .limit(MAX_ASSETS)))
