"""The activity log, written cheaply from the request path.

``record`` appends to an in-memory buffer (a lock and a list append); a background thread
writes the buffer in one multi-row INSERT every ``tracking_flush_seconds`` or when it holds
``FLUSH_ROWS`` rows, and at shutdown. A crash loses at most the last few seconds of views —
the log is statistics, not data (uploads, comments and reactions are kept in their own tables
in the same transaction as the change; the log only counts them).
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from albumen.db.base import upsert, utcnow
from albumen.db.engagement import (
    ACTIVITY_KINDS,
    DOWNLOAD,
    UPLOAD,
    VIEW_ASSET,
    VIEW_GALLERY,
    VIEW_SLIDESHOW,
    Activity,
    ActivityActor,
    ActivityCount,
    ActivitySource,
    ActivitySourceHistogram,
    AssetEngagement,
)
from albumen.insights.devices import request_device
from albumen.runtime import Runtime

log = logging.getLogger(__name__)
FLUSH_ROWS = 500
MAX_BUFFER = 200_000  # while the database is away: beyond this the oldest rows are dropped


class Tracker:
    """The buffer and its writer thread, one per process and runtime."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._rows: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._exit_hook = False

    def record(self, kind: str, *, user_id: int | None = None, guest_id: int | None = None,
               event_id: int | None = None, link_id: int | None = None,
               asset_id: int | None = None, ip: str | None = None,
               detail: dict[str, Any] | None = None, at: datetime | None = None,
               device: str | None = None) -> None:
        if not self.rt.settings.tracking:
            return
        if kind not in ACTIVITY_KINDS:
            raise ValueError(f"unknown activity kind {kind!r}")
        row = {"at": at or utcnow(), "kind": kind, "user_id": user_id, "guest_id": guest_id,
               "event_id": event_id, "link_id": link_id, "asset_id": asset_id,
               "ip": ip[:45] if ip else None, "detail": detail,
               "device": device or request_device.get()}
        with self._lock:
            self._rows.append(row)
            full = len(self._rows) >= FLUSH_ROWS
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name="albumen-activity",
                                                daemon=True)
                self._thread.start()
                if not self._exit_hook:
                    atexit.register(self.flush)
                    self._exit_hook = True
        if full:
            self._wake.set()

    def _run(self) -> None:
        me = threading.current_thread()
        while not self._stopped and self._thread is me:
            self._wake.wait(self.rt.settings.tracking_flush_seconds)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # the database is away for a moment: keep the rows, try again
                log.exception("could not write the activity log; retrying")

    def flush(self) -> int:
        """Write what is buffered now; returns how many rows."""
        with self._lock:
            rows, self._rows = self._rows, []
        if not rows:
            return 0
        try:
            with self.rt.transaction() as session:
                session.execute(insert(Activity), rows)
                roll_up(session, rows)
        except Exception:
            with self._lock:  # back in front, in order, for the next try
                self._rows[:0] = rows
                if len(self._rows) > MAX_BUFFER:
                    log.warning("activity log: dropping %d unwritten row(s)",
                                len(self._rows) - MAX_BUFFER)
                    del self._rows[:len(self._rows) - MAX_BUFFER]
            raise
        return len(rows)

    def stop(self) -> None:
        """Write everything and end the writer thread (a later record starts a new one)."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._stopped = True
        self._wake.set()
        if thread is not None:
            thread.join(timeout=10)
        with self._lock:
            self._stopped = False
        self.flush()


def tracker(rt: Runtime) -> Tracker:
    """The runtime's one buffered writer of the activity log."""
    return rt.own(Tracker)


def record(rt: Runtime, kind: str, **fields: Any) -> None:
    tracker(rt).record(kind, **fields)


def retention_cutoff(rt: Runtime, now: datetime | None = None) -> datetime | None:
    """Activity before this is past retention (None: kept for ever)."""
    days = rt.settings.activity_retention_days
    return (now or utcnow()) - timedelta(days=days) if days else None


def due(rt: Runtime, cutoff: datetime) -> tuple[int, datetime | None]:
    """How many activity rows are older than ``cutoff``, and the oldest one's time."""
    with rt.session() as session:
        count, oldest = session.execute(
            select(func.count(), func.min(Activity.at)).where(Activity.at < cutoff)).one()
    return int(count or 0), oldest


def purge(rt: Runtime, now: datetime | None = None) -> int:
    """Forget activity older than the retention setting; returns how many rows went."""
    cutoff = retention_cutoff(rt, now)
    if cutoff is None:
        return 0
    with rt.transaction() as session:
        return session.execute(delete(Activity).where(Activity.at < cutoff)).rowcount or 0


# --- rollups --------------------------------------------------------------------------------
# Kept by the writer, batch by batch, so the dashboards read thousands of rows, not millions.
VIEWS = (VIEW_ASSET, VIEW_GALLERY, VIEW_SLIDESHOW)


def _actor(row: dict[str, Any]) -> str:
    if row["user_id"] is not None:
        return f"u:{row['user_id']}"
    return f"g:{row['guest_id']}" if row["guest_id"] is not None else "-"


def roll_up(session: Session, rows: list[dict[str, Any]]) -> None:
    counts: Counter[tuple[int, str, int]] = Counter()
    sources: Counter[tuple[int, str, int, str]] = Counter()
    actors: set[tuple[int, str, str]] = set()
    views: Counter[int] = Counter()
    downloads: Counter[int] = Counter()
    asset_event: dict[int, int | None] = {}
    for row in rows:
        event_id, kind, epoch = row["event_id"], row["kind"], int(row["at"].timestamp())
        if row["asset_id"] is not None and kind in (VIEW_ASSET, DOWNLOAD):
            (views if kind == VIEW_ASSET else downloads)[row["asset_id"]] += 1
            asset_event[row["asset_id"]] = event_id
        if event_id is None:
            continue
        counts[(event_id, kind, epoch // 900)] += 1
        what = "view" if kind in VIEWS else "upload" if kind == UPLOAD else "other"
        actors.add((event_id, what, _actor(row)))
        if kind in (UPLOAD, VIEW_ASSET):
            hour = epoch // 3600
            if row["link_id"] is not None:
                sources[(event_id, kind, hour, f"l:{row['link_id']}")] += 1
            if row["ip"]:
                sources[(event_id, kind, hour, f"i:{row['ip']}")] += 1
    _add(session, ActivityCount.__table__, ("event_id", "kind", "quantum"),
         [{"event_id": e, "kind": k, "quantum": q, "n": n}
          for (e, k, q), n in sorted(counts.items())], ("n",))
    _add_sources(session, sources)
    _add(session, ActivityActor.__table__, ("event_id", "what", "actor"),
         [{"event_id": e, "what": w, "actor": a} for e, w, a in sorted(actors)], ())
    _add(session, AssetEngagement.__table__, ("asset_id",),
         [{"asset_id": a, "event_id": asset_event[a], "views": views[a],
           "downloads": downloads[a]} for a in sorted(asset_event)], ("views", "downloads"))


def _add_sources(session: Session, sources: Counter[tuple[int, str, int, str]]) -> None:
    """Add to the source-hours, and move each one that changed between the buckets of
    ``activity_source_hist``: an hour whose count went from a to b leaves bucket a (none when
    it is new) and joins bucket b. The new counts come back from the upsert itself (RETURNING),
    so concurrent writers each move exactly the step they made."""
    added: dict[tuple[int, str, int, str], int] = {}
    for (e, k, h, src), n in sources.items():
        key = (e, k, h, src[:64])
        added[key] = added.get(key, 0) + n
    if not added:
        return
    table = ActivitySource.__table__
    statement = _upsert(session)(table)
    statement = statement.on_conflict_do_update(
        index_elements=["event_id", "kind", "hour", "source"],
        set_={"n": table.c.n + statement.excluded.n},
    ).returning(table.c.event_id, table.c.kind, table.c.hour, table.c.source, table.c.n)
    moved: Counter[tuple[int, str, str, int]] = Counter()
    for e, k, h, src, n in session.execute(statement, [
            {"event_id": e, "kind": k, "hour": h, "source": src, "n": n}
            for (e, k, h, src), n in sorted(added.items())]):
        before = n - added[(e, k, h, src)]
        if before:
            moved[(e, k, src[:2], before)] -= 1
        moved[(e, k, src[:2], n)] += 1
    hist = ActivitySourceHistogram
    _add(session, hist.__table__, ("event_id", "kind", "prefix", "n"),
         [{"event_id": e, "kind": k, "prefix": p, "n": n, "hours": d}
          for (e, k, p, n), d in sorted(moved.items()) if d], ("hours",))
    emptied = sorted({e for (e, *_), d in moved.items() if d < 0})
    if emptied:
        session.execute(delete(hist).where(hist.event_id.in_(emptied), hist.hours <= 0))


def count_engagement(session: Session, asset_id: int, event_id: int | None, *, likes: int = 0,
                     comments: int = 0) -> None:
    """A reaction or comment added (+1) or taken back (-1), in the caller's transaction."""
    _add(session, AssetEngagement.__table__, ("asset_id",),
         [{"asset_id": asset_id, "event_id": event_id, "views": 0, "downloads": 0,
           "likes": likes, "comments": comments}], ("likes", "comments"))


def _add(session: Session, table: Table, keys: tuple[str, ...], rows: list[dict[str, Any]],
         summed: tuple[str, ...]) -> None:
    """Insert rows; where the key exists, add to its counts (or leave it, with no counts)."""
    if not rows:
        return
    statement = _upsert(session)(table)
    if summed:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={c: table.c[c] + statement.excluded[c] for c in summed})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    session.execute(statement, rows)


def _upsert(session: Session) -> Any:
    return upsert(session.get_bind().dialect.name)
