"""Reading PDFs (media/pdf.py) with real PDFium on PDFs made here: text and its pages,
the document's metadata, a rotated page, and every bad input with its clear error:
password-protected, truncated, HTML named .pdf, no pages, too many pages, a giant page,
JavaScript and attachments (counted, never run or extracted) (issue 25)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from albumen.errors import MediaDecodeError, RejectedFile
from albumen.media import pdf
from tests.pdfs import active, blank_pages, encrypted, text_pdf, written


def test_text_pages_and_metadata(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "letter.pdf",
                    [["Invoice 2024-117", "Total due: 310.50 EUR"], ["Thank you for your order"]],
                    title="Invoice 117", author="Casa Lisboa", subject="Catering")
    info = pdf.inspect(path, max_pages=100)
    assert info.pages == 2 and info.page_size == (round(A4[0], 2), round(A4[1], 2))
    assert (info.title, info.author, info.subject, info.creator) == (
        "Invoice 117", "Casa Lisboa", "Catering", "albumen tests")
    assert info.producer and "ReportLab" in info.producer
    assert info.attachments == 0 and not info.has_javascript
    assert dict(pdf.page_texts(path)) == {
        1: "Invoice 2024-117\nTotal due: 310.50 EUR", 2: "Thank you for your order"}


def test_a_page_renders_upright_within_its_size_and_pixels(tmp_path: Path) -> None:
    # ReportLab lays a rotated page out landscape and marks it /Rotate 90: shown portrait
    path = text_pdf(tmp_path / "turned.pdf", [["Sideways"]], rotate=90)
    import pypdf

    assert pypdf.PdfReader(path).pages[0].get("/Rotate") == 90
    assert pdf.inspect(path, max_pages=10).page_size == (round(A4[0], 2), round(A4[1], 2))
    pixels = pdf.render_page(path, 1, long_side=800, max_pixels=10**7)
    assert pixels.shape == (800, 566, 3) and pixels.dtype == np.uint8  # as shown
    assert pixels.mean() > 240  # white paper, a little black text
    small = pdf.render_page(path, 1, long_side=800, max_pixels=100_000)
    assert small.shape[0] * small.shape[1] <= 100_000
    with pytest.raises(MediaDecodeError, match="no page 2"):
        pdf.render_page(path, 2, long_side=800, max_pixels=10**7)


def test_a_scan_has_no_text_layer(tmp_path: Path) -> None:
    c = canvas.Canvas(str(tmp_path / "scan.pdf"), pagesize=landscape(A4))
    c.rect(50, 50, 400, 300, fill=1)  # a picture, no text
    c.showPage()
    c.save()
    assert dict(pdf.page_texts(tmp_path / "scan.pdf")) == {1: ""}


def test_a_password_protected_pdf_says_so_and_opens_with_its_password(tmp_path: Path) -> None:
    path = encrypted(tmp_path / "locked.pdf", text_pdf(tmp_path / "plain.pdf",
                                                       [["Secret minutes"]]), "s3cret")
    with pytest.raises(pdf.PasswordProtected, match="password-protected"):
        pdf.inspect(path, max_pages=10)
    with pytest.raises(pdf.PasswordProtected, match="does not open"):
        pdf.inspect(path, max_pages=10, password="wrong")
    assert pdf.inspect(path, max_pages=10, password="s3cret").pages == 1
    assert dict(pdf.page_texts(path, password="s3cret")) == {1: "Secret minutes"}


@pytest.mark.parametrize("content, message", [
    (b"<!DOCTYPE html><html><body>Not a PDF</body></html>", "damaged or truncated"),
    (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "damaged or truncated"),
    (b"", "damaged or truncated"),
])
def test_what_is_not_a_readable_pdf_is_named(tmp_path: Path, content: bytes,
                                            message: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(MediaDecodeError, match=message):
        pdf.inspect(path, max_pages=10)


def test_a_truncated_pdf_is_refused_not_half_read(tmp_path: Path) -> None:
    whole = text_pdf(tmp_path / "whole.pdf", [["page one"], ["page two"]]).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(MediaDecodeError, match="damaged or truncated"):
        pdf.inspect(cut, max_pages=10)


def test_limits_on_pages_and_page_size(tmp_path: Path) -> None:
    path = blank_pages(tmp_path / "many.pdf", 12)
    with pytest.raises(RejectedFile, match="12 pages, more than the limit of 10"):
        pdf.inspect(path, max_pages=10)
    assert pdf.inspect(path, max_pages=12).pages == 12

    with pytest.raises(RejectedFile, match="beyond the limit of 14,400 points"):
        pdf.inspect(blank_pages(tmp_path / "giant.pdf", 1, 100_000, 100_000), max_pages=10)

    empty = PdfWriter()
    with pytest.raises(RejectedFile, match="no pages"):
        pdf.inspect(written(tmp_path / "empty.pdf", empty), max_pages=10)


def test_javascript_and_attachments_are_counted_never_run(tmp_path: Path) -> None:
    path = active(tmp_path / "active.pdf", text_pdf(tmp_path / "base.pdf", [["Programme"]]))
    info = pdf.inspect(path, max_pages=10)
    assert info.has_javascript and info.attachments == 1
    assert dict(pdf.page_texts(tmp_path / "active.pdf")) == {1: "Programme"}


def test_pdf_dates() -> None:
    assert pdf.pdf_date("D:20240131120005+01'00'") == datetime(
        2024, 1, 31, 12, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    assert pdf.pdf_date("D:20240131") == datetime(2024, 1, 31, tzinfo=UTC)
    assert pdf.pdf_date("D:2024") == datetime(2024, 1, 1, tzinfo=UTC)
    assert pdf.pdf_date("D:20241399") is None and pdf.pdf_date("yesterday") is None
    assert pdf.pdf_date(None) is None


def test_the_reader_is_safe_to_call_from_threads(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = text_pdf(tmp_path / "t.pdf", [[f"line {i}"] for i in range(6)])
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(lambda _: dict(pdf.page_texts(path)), range(8)))
    assert all(t == {i + 1: f"line {i}" for i in range(6)} for t in texts)
