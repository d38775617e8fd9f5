"""PDF documents with ReportLab: an event report (summary figures, charts, top contributors,
moderation, highlights contact sheet) and a contact sheet of any set of photos."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from albumen.insights import charts
from albumen.runtime import Runtime

ACCENT = colors.HexColor("#c2570c")
INK = colors.HexColor("#151a23")
MUTED = colors.HexColor("#5b6474")
LINE = colors.HexColor("#e1e4ea")
SOFT = colors.HexColor("#fff1e6")
PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
WIDTH = PAGE_W - 2 * MARGIN
Progress = Callable[[float], None]

_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("title", parent=_base["Title"], fontName="Helvetica-Bold",
                            fontSize=26, leading=31, textColor=INK, alignment=0,
                            spaceAfter=4),
    "kicker": ParagraphStyle("kicker", parent=_base["Normal"], fontName="Helvetica-Bold",
                             fontSize=9, textColor=ACCENT, spaceAfter=2),
    "sub": ParagraphStyle("sub", parent=_base["Normal"], fontSize=11, textColor=MUTED,
                          spaceAfter=10),
    "h2": ParagraphStyle("h2", parent=_base["Heading2"], fontName="Helvetica-Bold",
                         fontSize=14, textColor=INK, spaceBefore=10, spaceAfter=6),
    "body": ParagraphStyle("body", parent=_base["Normal"], fontSize=10, leading=14,
                           textColor=INK),
    "small": ParagraphStyle("small", parent=_base["Normal"], fontSize=7.5, leading=9,
                            textColor=MUTED, alignment=TA_CENTER),
    "kpi": ParagraphStyle("kpi", parent=_base["Normal"], fontName="Helvetica-Bold",
                          fontSize=20, leading=24, textColor=INK),
    "kpilabel": ParagraphStyle("kpilabel", parent=_base["Normal"], fontSize=8.5,
                               textColor=MUTED),
}


def _esc(text: Any) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _footer(title: str) -> Callable[[Any, Any], None]:
    made = datetime.now(UTC).strftime("%-d %b %Y")

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.line(MARGIN, 12 * mm, PAGE_W - MARGIN, 12 * mm)
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 8 * mm, f"{title} · made by albumen on {made}")
        canvas.drawRightString(PAGE_W - MARGIN, 8 * mm, f"page {doc.page}")
        canvas.restoreState()

    return draw


def _document(out: IO[bytes], title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                             topMargin=MARGIN, bottomMargin=18 * mm, title=title,
                             author="albumen", creator="albumen")


def _chart(figure: Any, width: float = WIDTH) -> Image:
    data = charts.render(figure, "png")
    with PILImage.open(io.BytesIO(data)) as im:
        w, h = im.size
    return Image(io.BytesIO(data), width=width, height=width * h / w)


def _kpis(items: list[tuple[str, Any]]) -> Table:
    cells = [[Paragraph(f"{value:,}" if isinstance(value, int) else _esc(value),
                        STYLES["kpi"]) for _, value in items],
             [Paragraph(_esc(label), STYLES["kpilabel"]) for label, _ in items]]
    table = Table(cells, colWidths=[WIDTH / len(items)] * len(items))
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), SOFT),
        ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
        ("TOPPADDING", (0, 0), (-1, 0), 9), ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
    ]))
    return table


def _table(header: list[str], rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
        ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _photo(rt: Runtime, asset_id: int, kind: str, box: float) -> Image | None:
    """A photo's thumbnail or preview, fitted in a box of ``box`` points."""
    from albumen.db.models import Derivative

    with rt.session() as session:
        row = session.get(Derivative, (asset_id, kind)) or session.get(
            Derivative, (asset_id, "thumbnail"))
        key = row.storage_key if row else None
    if key is None:
        return None
    with rt.storage.open(key) as fh, PILImage.open(fh) as im:
        im = im.convert("RGB")
        im.thumbnail((int(box * 2.5), int(box * 2.5)))  # ~180 dpi in the box
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=82)
        w, h = im.size
    scale = box / max(w, h)
    buf.seek(0)
    return Image(buf, width=w * scale, height=h * scale)


def _sheet(rt: Runtime, cells: list[tuple[int, str]], columns: int, kind: str,
           progress: Progress, done: float = 0.0, share: float = 1.0) -> list[Any]:
    """Rows of photos with captions, ``columns`` to a row."""
    box = (WIDTH - (columns - 1) * 4 * mm) / columns
    flow: list[Any] = []
    row: list[Any] = []
    for i, (asset_id, caption) in enumerate(cells):
        image = _photo(rt, asset_id, kind, box) or Paragraph("(no preview)", STYLES["small"])
        text = "<br/>".join(_esc(line) for line in caption.split("\n"))
        row.append([image, Paragraph(text, STYLES["small"])])
        if len(row) == columns or i == len(cells) - 1:
            row += [""] * (columns - len(row))
            table = Table([row], colWidths=[box + 4 * mm] * columns)
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                       ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
            flow.append(table)
            row = []
        progress(done + share * (i + 1) / max(1, len(cells)))
    return flow


def event_report(rt: Runtime, dashboard: dict[str, Any], event: Any,
                 picks: list[Any], captions: dict[int, str], out: IO[bytes],
                 progress: Progress) -> None:
    title = event.title
    t = dashboard["totals"]
    when = ""
    if event.starts_at:
        when = event.starts_at.astimezone(ZoneInfo(event.timezone or "UTC")).strftime(
            "%-d %B %Y")
    story: list[Any] = [
        Paragraph("EVENT REPORT", STYLES["kicker"]),
        Paragraph(_esc(title), STYLES["title"]),
        Paragraph(_esc(" · ".join(p for p in (when, event.location or "",
                                              f"times in {dashboard['event']['timezone']}")
                                  if p)), STYLES["sub"]),
        _kpis([("photos", t["photos"]), ("guests", t["unique_guests"]),
               ("views", t["views"]), ("reactions", t["reactions"]),
               ("comments", t["comments"]), ("downloads", t["downloads"])]),
        Spacer(1, 8 * mm),
        _chart(charts.event_chart(dashboard, "uploads")),
        Spacer(1, 4 * mm),
        _chart(charts.event_chart(dashboard, "peak-hours")),
    ]
    peak = dashboard["peak_hours"]["upload_peak"]
    if peak is not None:
        story.append(Paragraph(f"Most photos arrived between {peak:02d}:00 and "
                               f"{(peak + 1) % 24:02d}:00.", STYLES["body"]))
    progress(0.2)
    story += [PageBreak(), Paragraph("Top contributors", STYLES["h2"])]
    rows = [[_esc(c["name"]), c["kind"], c["uploads"], c["approved"]]
            for c in dashboard["top_contributors"]]
    story.append(_table(["name", "", "uploaded", "approved"], rows or [["—", "", 0, 0]],
                        [WIDTH * 0.5, WIDTH * 0.16, WIDTH * 0.17, WIDTH * 0.17]))
    story += [Spacer(1, 4 * mm), _chart(charts.event_chart(dashboard, "contributors"),
                                        WIDTH * 0.8)]
    m = dashboard["moderation"]
    wait = m["median_decision_seconds"]
    moderation = [["approved", m["approved"]], ["waiting for review", m["pending"]],
                  ["rejected", m["rejected"]],
                  ["median time to a decision",
                   "—" if wait is None else f"{wait / 60:.0f} min"]]
    moderation += [[f"flagged: {flag}", n] for flag, n in m["flags"].items()]
    s = dashboard["sentiment"]
    story += [KeepTogether([Paragraph("Moderation", STYLES["h2"]),
                            _table(["", ""], moderation, [WIDTH * 0.7, WIDTH * 0.3])]),
              KeepTogether([Paragraph("Comments", STYLES["h2"]), _table(
                  ["", ""], [["comments", s["comments"]],
                             ["positive / neutral / negative",
                              f"{s['positive']} / {s['neutral']} / {s['negative']}"],
                             ["average sentiment",
                              "—" if s["average"] is None else f"{s['average']:+.2f}"]],
                  [WIDTH * 0.7, WIDTH * 0.3])])]
    progress(0.35)
    if picks:
        story += [PageBreak(), Paragraph("Highlights", STYLES["h2"]),
                  Paragraph("The photos guests engaged with most, sharp and varied.",
                            STYLES["body"]), Spacer(1, 3 * mm)]
        story += _sheet(rt, [(p.asset_id, captions.get(p.asset_id, "")) for p in picks], 3,
                        "preview", progress, 0.35, 0.6)
    doc = _document(out, f"{title} — event report")
    doc.build(story, onFirstPage=_footer(title), onLaterPages=_footer(title))
    progress(1.0)


def contact_sheet(rt: Runtime, title: str, subtitle: str, cells: list[tuple[int, str]],
                  out: IO[bytes], progress: Progress) -> None:
    story: list[Any] = [Paragraph("CONTACT SHEET", STYLES["kicker"]),
                        Paragraph(_esc(title), STYLES["title"]),
                        Paragraph(_esc(subtitle), STYLES["sub"])]
    story += _sheet(rt, cells, 5, "thumbnail", progress, 0.0, 0.95)
    if not cells:
        story.append(Paragraph("No photos.", STYLES["body"]))
    doc = _document(out, f"{title} — contact sheet")
    doc.build(story, onFirstPage=_footer(title), onLaterPages=_footer(title))
    progress(1.0)
