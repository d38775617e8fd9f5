"""PDFs made for the tests: text pages with metadata, scans (pictures of text, no text
layer), and the hostile kinds (encrypted, scripted, with attachments, too many pages, a
giant page, none at all)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def text_pdf(path: Path, pages: list[list[str]], rotate: int = 0, **meta: str) -> Path:
    """A PDF with a text layer: each page's lines in Helvetica, the info dictionary set."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(meta.get("title", ""))
    c.setAuthor(meta.get("author", ""))
    c.setSubject(meta.get("subject", ""))
    c.setCreator("albumen tests")
    for lines in pages:
        if rotate:
            c.setPageRotation(rotate)
        c.setFont("Helvetica", 14)
        for i, line in enumerate(lines):
            c.drawString(72, A4[1] - 100 - 22 * i, line)
        c.showPage()
    c.save()
    return path


def scan_pdf(path: Path, images: list[Image.Image]) -> Path:
    """A scanned document: each page one picture filling it, no text layer."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for im in images:
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=92)
        buf.seek(0)
        scale = min(A4[0] / im.width, A4[1] / im.height)
        c.drawImage(ImageReader(buf), 0, A4[1] - im.height * scale, im.width * scale,
                    im.height * scale)
        c.showPage()
    c.save()
    return path


def written(path: Path, writer: PdfWriter) -> Path:
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def encrypted(path: Path, source: Path, password: str) -> Path:
    writer = PdfWriter(clone_from=source)
    writer.encrypt(user_password=password, owner_password="owner-" + password,
                   algorithm="AES-256")
    return written(path, writer)


def active(path: Path, source: Path) -> Path:
    """``source`` with a document-level script and an attached executable."""
    writer = PdfWriter(clone_from=source)
    writer.add_attachment("payload.exe", b"MZ\x90\x00not really")
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('hello');")})
    names = writer._root_object["/Names"]
    names[NameObject("/JavaScript")] = DictionaryObject({NameObject("/Names"): ArrayObject(
        [TextStringObject("hello"), writer._add_object(script)])})
    return written(path, writer)


def blank_pages(path: Path, count: int, width: float = 200, height: float = 200) -> Path:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=width, height=height)
    return written(path, writer)
