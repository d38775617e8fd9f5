"""Reading PDFs with PDFium (pypdfium2, whose wheel carries the library: no system packages):
what a file is, the text of its pages, a page's pixels.

Nothing in a PDF is executed: PDFium is opened without its JavaScript engine (pypdfium2 does
not build XFA/V8) and attachments are counted, never extracted or served. Every limit is
checked before work is done: a document with more pages than ``max_pages``, or a page larger
than ``MAX_PAGE_POINTS`` on a side, is refused with the figure and the limit, and a page is
rendered only at a scale whose pixels fit ``max_pixels``.

PDFium is not thread-safe: every call into it holds ``PDFIUM``.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from albumen.errors import AlbumenError, MediaDecodeError, RejectedFile

PDFIUM = threading.Lock()
POINTS_PER_INCH = 72
# ISO A0 is 2384 x 3370 pt; posters and CAD plans go beyond, a 200 x 200 inch page is a bomb.
MAX_PAGE_POINTS = 14400  # 200 inches


class PasswordProtected(MediaDecodeError):
    """The PDF is encrypted with a password to open it: kept as it came, its text and pages
    read once the password is given."""

    code = "password_protected"
    status_code = 422


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    page_size: tuple[float, float]  # the first page, in points (1/72 inch), as displayed
    title: str | None = None
    author: str | None = None
    subject: str | None = None
    keywords: str | None = None
    creator: str | None = None
    producer: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    attachments: int = 0  # embedded files: counted, never extracted or served
    has_javascript: bool = False  # document-level scripts: never run
    metadata: dict[str, str] = field(default_factory=dict)  # the info dictionary, as written


@contextmanager
def opened(path: Path, password: str | None = None) -> Iterator[Any]:
    """The document, under the PDFium lock; a clear error for what will not open."""
    import pypdfium2 as pdfium

    with PDFIUM:
        try:
            document = pdfium.PdfDocument(path, password=password)
        except pdfium.PdfiumError as exc:
            raise _open_error(exc, path, password) from None
        try:
            yield document
        finally:
            document.close()


def _open_error(exc: Any, path: Path, password: str | None) -> AlbumenError:
    import pypdfium2.raw as raw

    code = getattr(exc, "err_code", None)
    if code in (raw.FPDF_ERR_SUCCESS, raw.FPDF_ERR_FORMAT) and _no_pages(path):
        return RejectedFile("the PDF has no pages")
    if code == raw.FPDF_ERR_PASSWORD:
        if password:
            return PasswordProtected("the password given does not open this PDF")
        return PasswordProtected("the PDF is password-protected: give its password to read it")
    if code == raw.FPDF_ERR_SECURITY:
        return MediaDecodeError("the PDF uses an encryption PDFium does not support")
    if code == raw.FPDF_ERR_FORMAT:
        return MediaDecodeError("not a readable PDF: the file is damaged or truncated")
    return MediaDecodeError(f"the PDF could not be opened ({exc})")


def _no_pages(path: Path) -> bool:
    """Whether a file PDFium would not load is a well-formed PDF without pages (PDFium does
    not load those, and its error code then is not reliably set)."""
    import pypdf

    try:
        return len(pypdf.PdfReader(path, strict=True).pages) == 0
    except Exception:  # any reading error: damaged, as PDFium said
        return False


def inspect(path: Path, max_pages: int, password: str | None = None) -> PdfInfo:
    """Page count, first page size and the document's own metadata; refuses a document over
    the limits (RejectedFile) and one that does not open (MediaDecodeError)."""
    import pypdfium2.raw as raw

    with opened(path, password) as document:
        pages = len(document)
        if pages == 0:
            raise RejectedFile("the PDF has no pages")
        if pages > max_pages:
            raise RejectedFile(f"the PDF has {pages:,} pages, more than the limit of "
                               f"{max_pages:,}", details={"pages": pages, "max_pages": max_pages})
        page = document[0]
        try:
            width, height = _checked_size(page, 1)
        finally:
            page.close()
        meta = {key: str(value).strip() for key, value in document.get_metadata_dict().items()
                if str(value).strip()}
        scripts = raw.FPDFDoc_GetJavaScriptActionCount(document.raw)
        return PdfInfo(
            pages=pages, page_size=(width, height), title=meta.get("Title"),
            author=meta.get("Author"), subject=meta.get("Subject"),
            keywords=meta.get("Keywords"), creator=meta.get("Creator"),
            producer=meta.get("Producer"), created=pdf_date(meta.get("CreationDate")),
            modified=pdf_date(meta.get("ModDate")), attachments=document.count_attachments(),
            has_javascript=scripts > 0, metadata=meta)


def _checked_size(page: Any, number: int) -> tuple[float, float]:
    width, height = page.get_size()  # as displayed: PDFium applies the page's /Rotate
    if not (0 < width <= MAX_PAGE_POINTS and 0 < height <= MAX_PAGE_POINTS):
        raise RejectedFile(f"page {number} is {width:,.0f} x {height:,.0f} points, beyond "
                           f"the limit of {MAX_PAGE_POINTS:,} points a side",
                           details={"page": number, "max_points": MAX_PAGE_POINTS})
    return round(width, 2), round(height, 2)


def page_texts(path: Path, password: str | None = None) -> Iterator[tuple[int, str]]:
    """The text layer of each page in reading order (page numbers from 1); "" for a page
    without one (a scan)."""
    with opened(path, password) as document:
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                finally:
                    textpage.close()
            finally:
                page.close()
            yield index + 1, _clean(text)


def _clean(text: str) -> str:
    """PDFium's text with its line breaks made plain and the NULs and form feeds gone."""
    lines = (line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n")
             .replace("\x00", "").replace("\x0c", "\n").split("\n"))
    return "\n".join(lines).strip()


def render_page(path: Path, number: int, long_side: int, max_pixels: int,
                password: str | None = None, short_side: int | None = None) -> np.ndarray:
    """Page ``number`` (from 1) as RGB pixels, upright as displayed, on white: its long side
    ``long_side`` at most (and its short side ``short_side``), its pixels within
    ``max_pixels``."""
    return next(render_pages(path, [number], long_side, max_pixels, password, short_side))[1]


def render_pages(path: Path, numbers: Iterable[int], long_side: int, max_pixels: int,
                 password: str | None = None, short_side: int | None = None
                 ) -> Iterator[tuple[int, np.ndarray]]:
    """``render_page`` for several pages of one document, opened once."""
    with opened(path, password) as document:
        for number in numbers:
            if not 1 <= number <= len(document):
                raise MediaDecodeError(f"the PDF has no page {number}")
            page = document[number - 1]
            try:
                width, height = _checked_size(page, number)
                scale = min(long_side / max(width, height),
                            (max_pixels / (width * height)) ** 0.5)
                if short_side is not None:
                    scale = min(scale, short_side / min(width, height))
                while math.ceil(width * scale) * math.ceil(height * scale) > max_pixels:
                    scale *= 0.995  # PDFium rounds the bitmap's sides up
                bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
                try:
                    pixels = np.asarray(bitmap.to_pil().convert("RGB"))
                finally:
                    bitmap.close()
            finally:
                page.close()
            yield number, pixels


def pdf_date(value: str | None) -> datetime | None:
    """A PDF date ("D:20240131120000+01'00'", parts from the year on optional) as an aware
    datetime; None when absent or not a date."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("D:"):
        text = text[2:]
    digits = "".join(ch for ch in text[:14] if ch.isdigit())
    if len(digits) < 4:
        return None
    parts = [int(digits[:4])] + [int(digits[i:i + 2]) for i in range(4, len(digits) - 1, 2)]
    parts += [0, 1, 1, 0, 0, 0][len(parts):]  # a missing month or day is the first
    year, month, day, hour, minute, second = parts[:6]
    rest = text[len(digits):]
    zone: timezone = UTC
    if rest[:1] in ("+", "-") and len(rest) >= 3 and rest[1:3].isdigit():
        hours = int(rest[1:3])
        minutes = int(rest[4:6]) if len(rest) >= 6 and rest[4:6].isdigit() else 0
        offset = timedelta(hours=hours, minutes=minutes)
        zone = timezone(offset if rest[0] == "+" else -offset)
    try:
        return datetime(year, month or 1, day or 1, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None
