"""`albumen import --from takeout` (issue 29): a Google Takeout tree generated here in
Takeout's format, with its quirks — JSON names cut at 51 characters, the counter after the
extension, supplemental-metadata names, -edited copies, album folders with metadata.json,
year folders, a JSON without its photo, broken and wrongly typed JSON, names in many
scripts. Re-running adds nothing twice."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from albumen.db.albums import Album, AlbumAsset
from albumen.db.models import Asset, Face
from albumen.interchange.sources import import_from
from albumen.interchange.takeout import edited_base, find_json, json_candidates
from albumen.runtime import Runtime
from tests import images
from tests.conftest import make_settings
from tests.processes import env_for, run_cli, run_json

PASSWORD = "a-long-password"
TAKEN = datetime(2019, 6, 8, 10, 33, 20, tzinfo=UTC)


def _meta(title: str, **extra: object) -> str:
    doc = {"title": title, "description": "", "imageViews": "3",
           "creationTime": {"timestamp": "1600000000", "formatted": "Sep 13, 2020"},
           "photoTakenTime": {"timestamp": str(int(TAKEN.timestamp())),
                              "formatted": "Jun 8, 2019, 10:33:20 AM UTC"},
           "geoData": {"latitude": 0.0, "longitude": 0.0, "altitude": 0.0},
           "geoDataExif": {"latitude": 0.0, "longitude": 0.0, "altitude": 0.0},
           "url": "https://photos.google.com/photo/x", **extra}
    return json.dumps(doc)


def _takeout(root: Path) -> Path:
    photos = root / "Takeout" / "Google Photos"
    year = photos / "Photos from 2019"
    # The file says 12:33:20 +02:00; Takeout says the same instant in UTC.
    images.write(year / "IMG_0001.JPG", images.jpeg(seed=1, exif=images.exif_bytes(
        taken="2019:06:08 12:33:20", offset="+02:00")))
    (year / "IMG_0001.JPG.json").write_text(_meta(
        "IMG_0001.JPG", description="Tram 28 in Alfama", favorited=True,
        geoData={"latitude": 38.7139, "longitude": -9.1334, "altitude": 40.0},
        people=[{"name": "Rita"}, {"name": "João"}]))
    images.write(year / "IMG_0001-edited.JPG", images.jpeg(seed=2))
    long = "a_very_long_name_of_a_photo_taken_at_the_beach_2019.jpg"
    images.write(year / long, images.jpeg(seed=3, exif=images.exif_bytes(taken=None)))
    (year / (long[:46] + ".json")).write_text(_meta(long, description="cut name"))
    images.write(year / "IMG_0002(1).JPG", images.jpeg(seed=4))
    (year / "IMG_0002.JPG(1).json").write_text(_meta("IMG_0002.JPG", description="second"))
    supplemental = "PXL_20190608_103320123.MP.jpg"
    images.write(year / supplemental, images.jpeg(seed=5))
    (year / ((supplemental + ".supplemental-metadata")[:46] + ".json")).write_text(
        _meta(supplemental, description="supplemental"))
    (year / "gone.jpg.json").write_text(_meta("gone.jpg"))
    images.write(year / "bad.jpg", images.jpeg(seed=6))
    (year / "bad.jpg.json").write_text("{not json")
    images.write(year / "types.jpg", images.jpeg(seed=7))
    (year / "types.jpg.json").write_text(json.dumps({
        "photoTakenTime": {"timestamp": "soon"}, "geoData": {"latitude": "north"},
        "description": 5, "favorited": "yes", "people": [{"name": "Ana"}]}))
    images.write(year / "Ελλάδα_日本_مرحبا.jpg", images.jpeg(seed=8))
    (year / "Ελλάδα_日本_مرحبا.jpg.json").write_text(_meta("Ελλάδα_日本_مرحبا.jpg",
                                                          description="Καλημέρα"), "utf-8")
    (year / "metadata.json").write_text(json.dumps({"title": "Photos from 2019"}))
    album = photos / "Summer in Lisbon"
    images.write(album / "IMG_0001.JPG", (year / "IMG_0001.JPG").read_bytes())
    (album / "IMG_0001.JPG.json").write_text((year / "IMG_0001.JPG.json").read_text())
    (album / "metadata.json").write_text(json.dumps({"title": "Summer in Lisbon",
                                                     "description": ""}))
    return root / "Takeout"


def test_takeout_names() -> None:
    assert edited_base("IMG_1-edited.JPG") == "IMG_1.JPG"
    assert edited_base("IMG_1-bearbeitet(2).jpg") == "IMG_1(2).jpg"
    assert edited_base("IMG_1.JPG") is None
    assert json_candidates("IMG_1(1).JPG")[0] == "IMG_1.JPG(1)"
    folder = {k.lower(): Path(k + ".json") for k in (
        "a_very_long_name_of_a_photo_taken_at_the_beac", "IMG_1.JPG(1)",
        "PXL_20230608_103320123.MP.jpg.supplemental-me", "short")}
    assert find_json("a_very_long_name_of_a_photo_taken_at_the_beach_2019.jpg", folder) \
        == Path("a_very_long_name_of_a_photo_taken_at_the_beac.json")
    assert find_json("IMG_1(1).JPG", folder) == Path("IMG_1.JPG(1).json")
    assert find_json("IMG_1-edited(1).JPG", folder) == Path("IMG_1.JPG(1).json")
    assert find_json("PXL_20230608_103320123.MP.jpg", folder).name.startswith("PXL_")
    assert find_json("shorter.jpg", folder) is None  # a short name is never a cut one
    assert find_json("IMG_2.JPG", folder) is None


def test_a_takeout_imports_with_its_metadata_albums_and_edits(tmp_path: Path,
                                                              db_url: str) -> None:
    rt = Runtime(make_settings(tmp_path / "data", db_url, enrichments="faces"))
    rt.migrate()
    from albumen.accounts.users import create_user

    owner = create_user(rt, "admin", PASSWORD, admin=True).id
    root = _takeout(tmp_path)
    report = import_from(rt, "takeout", [root], owner)
    by_name = {r.filename: r for r in report.results}
    assert report.counts["rejected"] == 2, report.to_dict()
    assert "not there" in by_name["gone.jpg.json"].reason
    assert "not JSON" in by_name["bad.jpg.json"].reason
    assert by_name["bad.jpg"].outcome == "imported"  # the photo without its JSON
    warned = by_name["types.jpg"].warnings
    assert {w.split(":")[0] for w in warned} == {"photoTakenTime", "geoData", "description",
                                                 "favorited"}
    assert report.counts["imported"] == 8 and report.counts["duplicate"] == 1
    assert report.albums == {"Summer in Lisbon": 1} and report.edits_linked == 1

    def asset(name: str) -> Asset:
        return session.get(Asset, by_name[name].asset_id)

    with rt.session() as session:
        tram = asset("IMG_0001.JPG")
        # The same instant: the file's wall clock and offset stay.
        assert tram.taken_at_local.replace(tzinfo=None) == datetime(2019, 6, 8, 12, 33, 20)
        assert tram.taken_at_offset_minutes == 120 and tram.taken_at == TAKEN
        assert (tram.description, tram.favorite) == ("Tram 28 in Alfama", True)
        assert (round(tram.latitude, 4), round(tram.longitude, 4)) == (38.7139, -9.1334)
        assert set(tram.keywords) >= {"Rita", "João"}
        assert "People|Rita" in tram.keyword_paths
        assert session.query(Face).filter_by(asset_id=tram.id).count() == 0  # names, no boxes
        edit = asset("IMG_0001-edited.JPG")
        assert edit.stack_id is not None and edit.stack_id == tram.stack_id
        assert edit.description == "Tram 28 in Alfama"  # the original's JSON describes it
        beach = asset("a_very_long_name_of_a_photo_taken_at_the_beach_2019.jpg")
        assert beach.description == "cut name" and beach.taken_at == TAKEN
        assert beach.taken_at_offset_minutes == 0  # no time in the file: UTC, as Google says
        assert asset("IMG_0002(1).JPG").description == "second"
        assert asset("PXL_20190608_103320123.MP.jpg").description == "supplemental"
        assert asset("Ελλάδα_日本_مرحبا.jpg").description == "Καλημέρα"
        assert asset("types.jpg").keywords == ["Ana"]
        album = session.query(Album).filter_by(title="Summer in Lisbon").one()
        assert [a.asset_id for a in session.query(AlbumAsset).filter_by(album_id=album.id)] \
            == [tram.id]
        assert session.query(Album).count() == 1  # a year folder is not an album

    again = import_from(rt, "takeout", [root], owner)
    assert again.counts["imported"] == 0 and again.edits_linked == 0
    with rt.session() as session:
        assert session.query(Asset).count() == 8
        assert session.query(Album).count() == 1
        assert session.query(AlbumAsset).count() == 1


def test_cli_import_from_takeout(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url)
    run_cli(env, "users", "create", "admin", "--admin", stdin=PASSWORD + "\n")
    root = _takeout(tmp_path)
    doc = run_json(env, "import", "--from", "takeout", str(root), "--json")
    assert doc["counts"]["imported"] == 8 and doc["albums"] == {"Summer in Lisbon": 1}
    bad = run_cli(env, "import", "--from", "picasa", str(root), check=False)
    assert bad.returncode != 0 and "--from" in (bad.stdout + bad.stderr)
