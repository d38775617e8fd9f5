"""Metadata in and out (issue 29): XMP sidecars read on import and written on export, metadata
embedded in exported copies (read back with exiv2 and with Pillow), and a round trip through
a fresh instance that keeps every field."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from albumen.db.models import Asset, Face, Person
from albumen.errors import RejectedFile
from albumen.interchange.export import Options, export
from albumen.library.importer import import_paths
from albumen.media.metadata import CaptureTime, read_metadata
from albumen.media.xmp import Region, XmpRecord, embed, packet, read_packet
from albumen.runtime import Runtime
from tests import images
from tests.conftest import make_settings
from tests.processes import env_for, run_cli, run_json

PASSWORD = "a-long-password"

ANNA_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"
    xmp:Rating="4" xmp:Label="Green" exif:DateTimeOriginal="2021-08-14T17:05:00+02:00"
    exif:GPSLatitude="46,12.5N" exif:GPSLongitude="6,8.75E">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Am See, 湖畔</rdf:li></rdf:Alt>
   </dc:description>
   <dc:subject><rdf:Bag><rdf:li>lake</rdf:li><rdf:li>summer</rdf:li></rdf:Bag></dc:subject>
   <lr:hierarchicalSubject><rdf:Bag><rdf:li>Places|Switzerland|Geneva</rdf:li></rdf:Bag>
   </lr:hierarchicalSubject>
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions stDim:w="800" stDim:h="600" stDim:unit="pixel"/>
    <mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="Anna Müller"
       mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.5" stArea:y="0.4" stArea:w="0.2"
       stArea:h="0.3" stArea:unit="normalized"/></rdf:Description></rdf:li></rdf:Bag>
    </mwg-rs:RegionList>
   </mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<x:xmpmeta xmlns:x="adobe:ns:meta/">&lol3;</x:xmpmeta>"""


def _record() -> XmpRecord:
    return XmpRecord(
        title="Tram 28 — 漢字 & <co>", description="Lisbon at dusk", keywords=["tram", "Rita"],
        hierarchy=["People|Rita", "Places|Portugal|Lisbon"], rating=5, label="Red",
        latitude=38.7139, longitude=-9.1334, altitude=-3.5,
        taken=CaptureTime(datetime(2023, 6, 1, 18, 30, 5), -150),
        regions=[Region("Rita", 0.1, 0.2, 0.3, 0.25)], width=800, height=600, orientation=6)


def test_a_record_survives_a_sidecar_and_embedding(tmp_path: Path) -> None:
    record = _record()
    back, _ = read_packet(packet(record).encode(), orientation=6)
    assert back.fields() == record.fields()
    # Orientation 6: the upright box is stored turned back (MWG areas are of the stored image).
    text = packet(record)
    assert 'stArea:x="0.325"' in text and 'stArea:y="0.75"' in text

    original = images.jpeg(seed=1, exif=images.exif_bytes(gps=(1.0, 2.0)))
    copy = embed(original, record)
    assert copy != original
    path = tmp_path / "copy.jpg"
    path.write_bytes(copy)
    meta = read_metadata(path)  # exiv2
    assert (meta.title, meta.description, meta.rating, meta.label) == (
        record.title, record.description, 5, "Red")
    assert meta.taken == record.taken
    assert round(meta.latitude, 5) == 38.7139 and round(meta.longitude, 5) == -9.1334
    assert round(meta.altitude, 2) == -3.5
    assert sorted(meta.keywords) == ["Lisbon", "Rita", "tram"]  # leaves of the hierarchy too
    with Image.open(path) as im:  # Pillow reads the same from EXIF and XMP
        exif = im.getexif().get_ifd(0x8769)
        assert exif[0x9003] == "2023:06:01 18:30:05" and exif[0x9011] == "-02:30"
        gps = im.getexif().get_ifd(0x8825)
        assert gps[1] == "N" and gps[3] == "W"
        desc = im.getxmp()["xmpmeta"]["RDF"]["Description"]
        descs = desc if isinstance(desc, list) else [desc]
        titles = [d["title"]["Alt"]["li"]["text"] for d in descs if "title" in d]
        assert titles == [record.title]
    # Embedding again gives the same bytes, and the pixels are untouched.
    assert embed(copy, record) == copy
    with Image.open(path) as a, Image.open(io.BytesIO(original)) as b:
        assert a.tobytes() == b.tobytes()


def test_embedding_keeps_the_file_s_other_xmp() -> None:
    foreign = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/'
               '1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:hdrgm='
               '"http://ns.adobe.com/hdr-gain-map/1.0/" xmlns:dc="http://purl.org/dc/elements/'
               '1.1/" hdrgm:Version="1.0"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">old'
               '</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>')
    text = packet(_record(), existing=foreign)
    assert 'hdrgm:Version="1.0"' in text  # a gain map's description stays
    assert ">old<" not in text  # our title replaces theirs
    assert read_packet(text.encode())[0].title == _record().title


@pytest.mark.parametrize("data, reason", [
    (b"this is not xml", "not XML"),
    (BOMB.encode(), "DTD or entities"),
    (b"<root><child/></root>", "not XMP"),
    (b"", "not XML"),
])
def test_bad_sidecars_are_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(RejectedFile) as caught:
        read_packet(data)
    assert reason in caught.value.message


def _runtime(tmp_path: Path, db_url: str, name: str) -> Runtime:
    rt = Runtime(make_settings(tmp_path / name, db_url, enrichments="faces"))
    rt.migrate()
    return rt


def test_import_merges_sidecars_and_reports_bad_ones(tmp_path: Path, db_url: str) -> None:
    rt = _runtime(tmp_path, db_url, "data")
    folder = tmp_path / "in"
    images.write(folder / "写真.jpg", images.jpeg(seed=1, exif=images.exif_bytes(
        taken="2019:01:01 10:00:00")))
    (folder / "写真.jpg.xmp").write_text(ANNA_XMP.format(title="Genfersee"), "utf-8")
    images.write(folder / "lightroom.jpg", images.jpeg(seed=2))
    (folder / "lightroom.xmp").write_text(ANNA_XMP.format(title="LR naming"), "utf-8")
    images.write(folder / "broken.jpg", images.jpeg(seed=3))
    (folder / "broken.jpg.xmp").write_bytes(b"\x00\x01 not xml")
    images.write(folder / "bomb.jpg", images.jpeg(seed=4))
    (folder / "bomb.jpg.xmp").write_text(BOMB)
    (folder / "lonely.jpg.xmp").write_text(ANNA_XMP.format(title="nobody"), "utf-8")

    report = import_paths(rt, [folder], owner_id=None)
    by_name = {r.filename: r for r in report.results}
    assert report.counts["imported"] == 4
    assert {n for n, r in by_name.items() if r.outcome == "rejected"} == {
        "broken.jpg.xmp", "bomb.jpg.xmp", "lonely.jpg.xmp"}
    assert "not XML" in by_name["broken.jpg.xmp"].reason
    assert "DTD or entities" in by_name["bomb.jpg.xmp"].reason
    assert "not there" in by_name["lonely.jpg.xmp"].reason
    assert by_name["写真.jpg"].sidecar == "写真.jpg.xmp"

    with rt.session() as session:
        asset = session.get(Asset, by_name["写真.jpg"].asset_id)
        # The sidecar wins over the file's own capture time; the rest is the sidecar's.
        assert (asset.title, asset.description, asset.rating, asset.label) == (
            "Genfersee", "Am See, 湖畔", 4, "Green")
        assert asset.taken_at_local.replace(tzinfo=None) == datetime(2021, 8, 14, 17, 5)
        assert asset.taken_at_offset_minutes == 120
        assert round(asset.latitude, 4) == round(46 + 12.5 / 60, 4)
        assert set(asset.keywords) == {"lake", "summer", "Geneva"}
        assert asset.keyword_paths == ["Places|Switzerland|Geneva"]
        faces = session.query(Face).filter_by(asset_id=asset.id).all()
        # No face the detector found (a synthetic photo): the region is a face of its own.
        assert len(faces) == 1 and faces[0].assigned_by == "user"
        assert session.get(Person, faces[0].person_id).name == "Anna Müller"
        assert (round(faces[0].box_x, 3), round(faces[0].box_y, 3)) == (0.4, 0.25)
        assert rt.storage.exists(faces[0].crop_key)
        lr = session.get(Asset, by_name["lightroom.jpg"].asset_id)
        assert lr.title == "LR naming"
        people = session.query(Person).filter_by(name="Anna Müller").count()
        assert people == 1  # the same name in two sidecars is one person

    # A person's edit in albumen outlives the sidecar; an edited sidecar is read again; a
    # re-run adds nothing.
    from albumen.library.assets import update_asset

    update_asset(rt, by_name["写真.jpg"].asset_id, {"title": "My own title"})
    (folder / "写真.jpg.xmp").write_text(
        ANNA_XMP.format(title="Changed").replace('xmp:Rating="4"', 'xmp:Rating="2"'), "utf-8")
    again = import_paths(rt, [folder], owner_id=None)
    assert again.counts["imported"] == 0 and again.counts["skipped"] == 4
    with rt.session() as session:
        asset = session.get(Asset, by_name["写真.jpg"].asset_id)
        assert asset.title == "My own title" and asset.rating == 2
        assert session.query(Face).filter_by(asset_id=asset.id).count() == 1
        assert session.query(Asset).count() == 4


def test_export_embeds_and_writes_sidecars_and_a_round_trip_keeps_everything(
        tmp_path: Path, db_url: str) -> None:
    first = _runtime(tmp_path, db_url, "first")
    folder = tmp_path / "in"
    images.write(folder / "lake.jpg", images.jpeg(seed=5))
    (folder / "lake.jpg.xmp").write_text(ANNA_XMP.format(title="Genfersee"), "utf-8")
    images.write(folder / "street.jpg", images.jpeg(seed=6, exif=images.exif_bytes(
        gps=(38.71, -9.13), taken="2022:05:04 12:00:00")))
    images.write(folder / "scan.png", images.encode("PNG", seed=7))
    imported = import_paths(first, [folder], owner_id=None)
    assert imported.counts["imported"] == 3
    ids = {r.filename: r.asset_id for r in imported.results}
    from albumen.library.assets import update_asset

    update_asset(first, ids["street.jpg"], {"title": "Tram", "rating": 3, "label": "Blue",
                                            "description": "Rua da Conceição"})
    with first.session() as session:
        stored = {a.id: (a.storage_key, a.sha256) for a in session.query(Asset)}

    out = tmp_path / "out1"
    report = export(first, None, "", out, Options(sidecars=True, embed=True))
    assert report.counts == {"exported": 3, "unchanged": 0, "failed": 0}
    assert sorted(p.name for p in out.iterdir()) == [
        "lake.jpg", "lake.jpg.xmp", "scan.png", "scan.png.xmp", "street.jpg",
        "street.jpg.xmp"]
    # The stored originals are untouched.
    for key, sha in stored.values():
        with first.storage.open(key) as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == sha
    street = read_metadata(out / "street.jpg")
    assert (street.title, street.rating, street.label) == ("Tram", 3, "Blue")
    lake = read_packet((out / "lake.jpg.xmp").read_bytes())[0]
    assert [r.name for r in lake.regions] == ["Anna Müller"]
    assert "Anna Müller" in lake.keywords and "People|Anna Müller" in lake.hierarchy
    # A re-run writes nothing.
    assert export(first, None, "", out, Options(sidecars=True, embed=True)).counts[
        "unchanged"] == 3

    # Into a fresh instance (its own database), and out again: the same metadata, file by file.
    second = _runtime(tmp_path, f"sqlite:///{tmp_path / 'second.db'}", "second")
    assert import_paths(second, [out], owner_id=None).counts["imported"] == 3
    out2 = tmp_path / "out2"
    export(second, None, "", out2, Options(sidecars=True, embed=True))
    for name in ("lake.jpg", "street.jpg", "scan.png"):
        a = read_packet((out / f"{name}.xmp").read_bytes())[0].fields()
        b = read_packet((out2 / f"{name}.xmp").read_bytes())[0].fields()
        assert a == b, name
        assert read_metadata(out / name).title == read_metadata(out2 / name).title


def test_cli_export_with_a_query_and_jpeg_copies(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url)
    folder = tmp_path / "in"
    images.write(folder / "a.png", images.encode("PNG", seed=8))
    images.write(folder / "b.jpg", images.jpeg(seed=9))
    run_cli(env, "users", "create", "admin", "--admin", stdin=PASSWORD + "\n")
    assert run_json(env, "import", str(folder), "--wait", "--json")["counts"]["imported"] == 2
    out = tmp_path / "out"
    doc = run_json(env, "export", "a.png", "--out", str(out), "--embed", "--format", "jpeg",
                   "--json")
    assert doc["counts"]["exported"] == 1
    assert doc["results"][0]["name"] == "a.jpg" and doc["results"][0]["embedded"] is True
    with Image.open(out / "a.jpg") as im:
        assert im.format == "JPEG"
    bad = run_cli(env, "export", "", "--out", str(out), "--format", "gif", check=False)
    assert bad.returncode != 0 and "format" in (bad.stdout + bad.stderr)


def test_api_downloads_with_metadata_and_only_for_who_may_see(client: TestClient) -> None:
    import zipfile

    from tests.conftest import bearer

    c = client
    data = images.jpeg(seed=11, exif=images.exif_bytes(gps=(48.85, 2.35)))
    asset_id = c.post("/api/v1/assets", files={"file": ("paris.jpg", data)}).json()["asset"]["id"]
    png_id = c.post("/api/v1/assets", files={"file": ("plan.png", images.encode("PNG", seed=12))}
                    ).json()["asset"]["id"]
    assert c.patch(f"/api/v1/assets/{asset_id}", json={
        "title": "Pont Neuf", "label": "Purple", "rating": 4}).json()["label"] == "Purple"
    assert c.patch(f"/api/v1/assets/{asset_id}", json={"label": ""}).status_code == 422

    r = c.get(f"/api/v1/assets/{asset_id}/export")
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert "paris.jpg" in r.headers["content-disposition"]
    with Image.open(io.BytesIO(r.content)) as im:
        desc = im.getxmp()["xmpmeta"]["RDF"]["Description"]
        assert desc["Label"] == "Purple" and desc["title"]["Alt"]["li"]["text"] == "Pont Neuf"
    side = c.get(f"/api/v1/assets/{asset_id}/sidecar")
    assert side.status_code == 200 and side.headers["content-type"].startswith(
        "application/rdf+xml")
    record = read_packet(side.content)[0]
    assert (record.title, record.rating, round(record.latitude, 2)) == ("Pont Neuf", 4, 48.85)
    jpeg = c.get(f"/api/v1/assets/{png_id}/export", params={"format": "jpeg"})
    assert jpeg.status_code == 200 and jpeg.content[:2] == b"\xff\xd8"
    assert c.get(f"/api/v1/assets/{png_id}/export", params={"format": "gif"}).status_code == 422

    z = c.get("/api/v1/assets/download", params={"ids": f"{asset_id},{png_id}", "embed": "true",
                                                  "sidecars": "true"})
    assert z.status_code == 200
    names = sorted(zipfile.ZipFile(io.BytesIO(z.content)).namelist())
    assert names == ["paris.jpg", "paris.jpg.xmp", "plan.png", "plan.png.xmp"]
    plain = c.get("/api/v1/assets/download", params={"ids": str(asset_id)})
    assert zipfile.ZipFile(io.BytesIO(plain.content)).read("paris.jpg") == data  # as stored

    c.post("/api/v1/users", json={"username": "other", "password": PASSWORD})
    other = {"Authorization": bearer(c, "other", PASSWORD)}
    for path in (f"/api/v1/assets/{asset_id}/export", f"/api/v1/assets/{asset_id}/sidecar"):
        assert c.get(path, headers=other).status_code == 404
    assert c.get("/api/v1/assets/download", params={"ids": str(asset_id), "embed": "true"},
                 headers=other).status_code == 404
