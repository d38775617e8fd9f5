"""Documents (PDFs) as assets, through the same upload as photos (issue 25): the original kept
untouched, the text of each page (text layer, or read by OCR from a scan), the first page's
preview and a thumbnail of every page, the document's own metadata in the asset's JSON,
search over its text; every bad input refused with its reason and nothing half-written,
encrypted PDFs kept until their password is given, and a reading of scanned pages that
resumes where a killed worker stopped."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from albumen.db.documents import OCR, DocumentPage
from albumen.db.models import Asset, AssetStage
from albumen.runtime import get_runtime
from tests import text_scenes
from tests.pdfs import active, blank_pages, encrypted, scan_pdf, text_pdf


def upload(c: TestClient, path: Path, name: str | None = None) -> dict:
    r = c.post("/api/v1/assets", files={"file": (name or path.name, path.read_bytes())})
    assert r.status_code in (200, 201), r.text
    return c.get(f"/api/v1/assets/{r.json()['asset']['id']}").json()


def rejected(c: TestClient, content: bytes, name: str = "doc.pdf") -> dict:
    r = c.post("/api/v1/assets", files={"file": (name, content)})
    assert 400 <= r.status_code < 500, r.text
    return r.json()["error"]


def count(model: type) -> int:
    with get_runtime().session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_text_pdf_becomes_a_document_asset(app_client: Callable[..., TestClient],
                                             tmp_path: Path) -> None:
    c = app_client(enrichments="screening,pages")
    path = text_pdf(tmp_path / "invoice.pdf",
                    [["Invoice 2024-117", "Catering for the Almeida wedding"],
                     ["Total due: 310.50 EUR", "Payable to Quinta da Regaleira"], []],
                    title="Invoice 117", author="Casa Lisboa", subject="Catering")
    doc = upload(c, path)
    assert (doc["state"], doc["media_type"], doc["mime_type"], doc["format"]) == (
        "ready", "document", "application/pdf", "pdf")
    assert doc["pages"] == 3 and (doc["width"], doc["height"]) == (595, 842)
    assert doc["title"] == "Invoice 117" and doc["description"] == "Catering"
    meta = doc["document"]
    assert (meta["title"], meta["author"], meta["creator"]) == (
        "Invoice 117", "Casa Lisboa", "albumen tests")
    assert "ReportLab" in meta["producer"] and meta["created"].startswith("2000-01-01")
    assert doc["taken_at"].startswith("2000-01-01")  # the document's date places it in time
    assert (meta["pages_read"], meta["pages_ocr"], meta["attachments"]) == (2, 1, 0)
    assert doc["text"] == ("Invoice 2024-117\nCatering for the Almeida wedding\n\n"
                           "Total due: 310.50 EUR\nPayable to Quinta da Regaleira")
    assert {s["stage"]: s["state"] for s in doc["stages"]} == {  # (progress: below)
        "metadata": "done", "derivatives": "done", "phash": "done", "screening": "done",
        "pages": "done"}

    text = c.get(f"/api/v1/assets/{doc['id']}/text").json()
    assert [(p["page"], p["source"]) for p in text["pages"]] == [
        (1, "layer"), (2, "layer"), (3, "ocr")]  # the blank page was looked at: nothing
    assert text["pages"][1]["text"].startswith("Total due")

    # The original, byte for byte, as a download only (a PDF may carry scripts)
    original = c.get(f"/api/v1/assets/{doc['id']}/original")
    assert hashlib.sha256(original.content).hexdigest() == doc["sha256"]
    assert original.content == path.read_bytes()
    assert original.headers["content-disposition"].startswith("attachment")
    assert original.headers["content-security-policy"] == "sandbox"
    # The first page as preview and thumbnail, and every page's thumbnail
    preview = c.get(doc["links"]["preview"])
    assert preview.headers["content-type"] == "image/jpeg"
    width, height = Image.open(io.BytesIO(preview.content)).size
    assert width == 1440 and abs(height - 1440 * 842 / 595) <= 1  # short side, as photos
    for page in (1, 2, 3):
        thumb = c.get(text["pages"][page - 1]["thumbnail"])
        assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
    assert c.get(f"/api/v1/assets/{doc['id']}/pages/4/thumbnail").status_code == 404

    # Its text is searchable, the second page's too
    hits = c.get("/api/v1/search", params={"q": "Regaleira"}).json()["items"]
    assert [h["asset"]["id"] for h in hits] == [doc["id"]]


def test_bad_documents_are_refused_with_their_reason(app_client: Callable[..., TestClient],
                                                     tmp_path: Path) -> None:
    c = app_client(max_document_pages=5)
    good = text_pdf(tmp_path / "good.pdf", [["page one"], ["page two"]]).read_bytes()
    cases = [
        (b"<!DOCTYPE html><html><body>Download failed</body></html>", "an HTML page"),
        (good[: len(good) // 3], "damaged or truncated"),
        (b"%PDF-1.7\n%%EOF\n", "damaged or truncated"),
        (blank_pages(tmp_path / "many.pdf", 6).read_bytes(), "6 pages, more than the limit of 5"),
        (blank_pages(tmp_path / "giant.pdf", 1, 100_000, 100_000).read_bytes(),
         "beyond the limit of 14,400 points"),
    ]
    for content, reason in cases:
        error = rejected(c, content, "../../etc/evil.pdf")
        assert reason in error["message"], (reason, error)
        assert error["details"]["filename"] == "evil.pdf"
    from pypdf import PdfWriter

    from tests.pdfs import written

    empty = written(tmp_path / "empty.pdf", PdfWriter()).read_bytes()
    assert "no pages" in rejected(c, empty)["message"]
    # Nothing half-written: no asset, no stored original, no staged file
    assert count(Asset) == 0
    data = get_runtime().settings.data_dir
    assert not [p for p in data.rglob("*") if p.is_file() and "originals" in p.parts]
    # and the rest of a batch goes on
    assert upload(c, tmp_path / "good.pdf")["state"] == "ready"


def test_scripts_and_attachments_are_never_run_or_served(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    c = app_client()
    path = active(tmp_path / "programme.pdf", text_pdf(tmp_path / "p.pdf", [["Programme"]]))
    doc = upload(c, path)
    assert doc["state"] == "ready" and doc["text"] == "Programme"
    assert doc["document"]["has_javascript"] and doc["document"]["attachments"] == 1
    original = c.get(doc["links"]["original"])
    assert original.content == path.read_bytes()  # kept as it came, served as a download
    assert original.headers["content-disposition"].startswith("attachment")
    assert original.headers["content-security-policy"] == "sandbox"


def test_an_encrypted_pdf_is_kept_until_its_password_is_given(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    c = app_client()
    path = encrypted(tmp_path / "minutes.pdf",
                     text_pdf(tmp_path / "plain.pdf", [["Board minutes, March"]]), "s3cret")
    doc = upload(c, path)
    assert doc["state"] == "failed" and "password-protected" in doc["failure_reason"]
    assert c.get(doc["links"]["original"]).content == path.read_bytes()

    wrong = c.post(f"/api/v1/assets/{doc['id']}/password", json={"password": "guess"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "password_protected"
    assert c.post(f"/api/v1/assets/{doc['id']}/password", json={}).status_code == 422
    right = c.post(f"/api/v1/assets/{doc['id']}/password", json={"password": "s3cret"})
    assert right.status_code == 200, right.text
    again = c.get(f"/api/v1/assets/{doc['id']}").json()
    assert (again["state"], again["text"], again["pages"]) == ("ready", "Board minutes, March", 1)
    with get_runtime().session() as session:  # kept sealed, never in the clear
        from albumen.db.documents import Document

        assert "s3cret" not in (session.get(Document, doc["id"]).password_sealed or "")

    # Someone who may not change the document may not give its password
    c.post("/api/v1/users", json={"username": "bob", "password": "bob-password-1"})
    from tests.conftest import bearer

    other = {"Authorization": bearer(c, "bob", "bob-password-1")}
    assert c.post(f"/api/v1/assets/{doc['id']}/password", json={"password": "s3cret"},
                  headers=other).status_code == 404
    # and a photo has no password to give
    photo = c.post("/api/v1/assets", files={"file": ("a.jpg", _jpeg(Image.new("RGB", (64, 48))))})
    assert c.post(f"/api/v1/assets/{photo.json()['asset']['id']}/password",
                  json={"password": "x"}).status_code == 422


def _jpeg(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG")
    return buf.getvalue()


def scanned_page(lines: list[str], seed: int) -> Image.Image:
    """A printed page as a scanner gives it: A4 at 150 dpi, black text on off-white."""
    page = Image.new("RGB", (1240, 1754), (250, 249, 245))
    draw = ImageDraw.Draw(page)
    y = 160
    for i, line in enumerate(lines):
        draw.text((140, y), line, fill=(20, 20, 24), font=text_scenes.font(seed, 48 if i else 64))
        y += 110
    return page


SCANS = [["Rental agreement", "Rua das Flores 28", "Monthly rent 950 euros"],
         ["Signed in Porto", "Second page of the lease"],
         ["Annex inventory", "Two chairs and one table"]]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_scanned_pages_are_read_and_a_killed_reading_resumes(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    from albumen.ml import models

    c = app_client(enrichments="pages", ocr_gate_size=0)
    path = scan_pdf(tmp_path / "lease.pdf", [scanned_page(lines, i) for i, lines in
                                             enumerate(SCANS)])
    model = models.ocr(get_runtime().settings)
    before = model.items
    doc = upload(c, path)
    assert doc["state"] == "ready" and model.items - before == 3  # each page read once
    text = c.get(f"/api/v1/assets/{doc['id']}/text").json()
    assert [p["source"] for p in text["pages"]] == ["ocr"] * 3
    for page, lines in zip(text["pages"], SCANS, strict=True):
        read = page["text"].casefold()
        assert all(word.casefold() in read for line in lines for word in line.split()), page
    stage = next(s for s in doc["stages"] if s["stage"] == "pages")
    assert (stage["state"], stage["progress_done"], stage["progress_total"]) == ("done", 3, 3)
    with get_runtime().session() as session:
        row = session.get(AssetStage, (doc["id"], "pages"))
        assert (row.progress_done, row.progress_total) == (3, 3)
    hits = c.get("/api/v1/search", params={"q": "inventory"}).json()["items"]
    assert [h["asset"]["id"] for h in hits] == [doc["id"]]

    # A worker killed after the first page: that page's reading was committed, the others
    # were not; the stage's lease ran out and it is run again: only pages 2 and 3 are read.
    rt = get_runtime()
    with rt.transaction() as session:
        for page in session.scalars(select(DocumentPage).where(
                DocumentPage.asset_id == doc["id"], DocumentPage.page > 1)):
            page.source, page.text = "none", ""
        stage_row = session.get(AssetStage, (doc["id"], "pages"))
        stage_row.state, stage_row.progress_done = "pending", 1
    before = model.items
    from albumen.library.processing import process_asset

    assert process_asset(rt, doc["id"], "ml") == "ready"
    assert model.items - before == 2
    with rt.session() as session:
        pages = session.scalars(select(DocumentPage).where(
            DocumentPage.asset_id == doc["id"]).order_by(DocumentPage.page)).all()
        assert [p.source for p in pages] == [OCR] * 3 and "inventory" in pages[2].text.lower()


def test_the_viewer_shows_a_documents_pages_and_text(app_client: Callable[..., TestClient],
                                                     tmp_path: Path) -> None:
    from tests.conftest import ADMIN_PASSWORD

    c = app_client()
    path = text_pdf(tmp_path / "menu.pdf", [["Wedding menu", "Caldo verde"], ["Pastel de nata"]],
                    author="Casa Lisboa")
    doc = upload(c, path)
    c.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    html = c.get(f"/photos/{doc['id']}").text
    assert '<dd data-field="pages">2</dd>' in html and "Casa Lisboa" in html
    for page in (1, 2):
        assert f'/api/v1/assets/{doc["id"]}/pages/{page}/thumbnail' in html
    assert "Caldo verde" in html and "Pastel de nata" in html
    assert "Text in the photo" not in html
    assert f'data-api="PATCH /api/v1/assets/{doc["id"]}"' in html and 'name="category"' in html


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_multipage_tiff_is_a_scanned_document(app_client: Callable[..., TestClient],
                                                tmp_path: Path) -> None:
    c = app_client(enrichments="pages", ocr_gate_size=0)
    first, *rest = [scanned_page(lines, i).convert("L") for i, lines in enumerate(SCANS[:2])]
    path = tmp_path / "fax.tif"
    first.save(path, save_all=True, append_images=rest, compression="tiff_lzw",
               dpi=(150, 150))
    doc = upload(c, path)
    assert (doc["media_type"], doc["format"], doc["pages"], doc["state"]) == (
        "document", "tiff", 2, "ready")
    assert (doc["width"], doc["height"]) == (595, 842)  # A4 at 150 dpi, in points
    assert "rent" in doc["text"].lower() and "porto" in doc["text"].lower()
    assert c.get(f"/api/v1/assets/{doc['id']}/pages/2/thumbnail").status_code == 200
    # A TIFF of one page stays a photo
    single = tmp_path / "one.tif"
    first.save(single)
    assert upload(c, single)["media_type"] == "image"


def test_a_tiff_page_over_the_pixel_limit_is_refused(app_client: Callable[..., TestClient],
                                                     tmp_path: Path) -> None:
    c = app_client(max_image_pixels=1_000_000)
    small, big = Image.new("L", (600, 800), 255), Image.new("L", (2000, 2000), 255)
    path = tmp_path / "bomb.tif"
    small.save(path, save_all=True, append_images=[big], compression="tiff_lzw")
    error = rejected(c, path.read_bytes(), "bomb.tif")
    assert "page 2 has 2000x2000" in error["message"] and "limit of 1,000,000" in error["message"]
    assert count(Asset) == 0


def test_search_by_meaning_finds_documents_and_photos_by_what_their_text_is_about(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    c = app_client(enrichments="semantic")
    docs = {
        "invoice": [["Invoice 2024-117", "Catering for 120 guests: 3,400 euros",
                     "Payment due within 30 days by bank transfer"]],
        "lease": [["Residential lease", "The tenant rents the flat on Rua das Flores"],
                  ["The landlord may enter the flat with notice", "Monthly rent 950 euros"]],
        "programme": [["Wedding day programme", "Ceremony at the chapel at four",
                       "Dinner and dancing in the garden until midnight"]],
    }
    ids = {name: upload(c, text_pdf(tmp_path / f"{name}.pdf", pages))["id"]
           for name, pages in docs.items()}

    def about(query: str, **extra: str) -> list[int]:
        r = c.get("/api/v1/search", params={"q": f'about:"{query}" {extra.get("and", "")}'})
        assert r.status_code == 200, r.text
        return [h["asset"]["id"] for h in r.json()["items"]]

    # No shared words with the documents: found by meaning, best first
    assert about("how much do we owe the caterer")[0] == ids["invoice"]
    assert about("renting an apartment")[0] == ids["lease"]
    assert about("schedule of the celebration")[0] == ids["programme"]
    # the page that matched is the lease's second
    with get_runtime().session() as session:
        from albumen.db.models import TextChunk

        pages = {p for (p,) in session.execute(select(TextChunk.page).where(
            TextChunk.asset_id == ids["lease"]))}
        assert pages == {1, 2}
    # combined with filters, and through the structured API
    assert about("renting an apartment", **{"and": "type:photo"}) == []
    r = c.post("/api/v1/search", json={"about": "renting an apartment", "limit": 1})
    assert [h["asset"]["id"] for h in r.json()["items"]] == [ids["lease"]]
    # one ranking at a time
    r = c.get("/api/v1/search", params={"q": 'about:"rent" similar:1'})
    assert r.status_code == 422
    # a document deleted for good leaves the index
    with get_runtime().transaction() as session:
        session.delete(session.get(Asset, ids["lease"]))
    from albumen.vectors import chunks

    with get_runtime().session() as session:
        chunks.index_for(get_runtime().settings.effective_database_url).refresh(session,
                                                                               force=True)
    assert ids["lease"] not in about("renting an apartment")


def test_documents_in_the_library_grid_and_search(app_client: Callable[..., TestClient],
                                                  tmp_path: Path) -> None:
    from tests.conftest import ADMIN_PASSWORD

    c = app_client()
    doc = upload(c, text_pdf(tmp_path / "p.pdf", [["Programme"], ["Dinner"], ["Dancing"]]))
    grid = c.get("/api/v1/search", params={"q": "type:document", "view": "grid"}).json()
    assert [(i["id"], i["media_type"], i["pages"]) for i in grid["items"]] == [
        (doc["id"], "document", 3)]
    c.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    page = c.get("/search", params={"q": "is:document"}).text
    assert "3 pages" in page and f'data-id="{doc["id"]}"' in page
    chips = c.get("/search/facets", params={"q": "programme"})
    assert chips.status_code == 200 and "Documents <b>1</b>" in chips.text
    assert "type%3Adocument" in chips.text or "type:document" in chips.text
