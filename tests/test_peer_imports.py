"""`albumen import --from photoprism|immich` (issue 29), against folders generated here in
those systems' formats: PhotoPrism's originals/ with its sidecar YAML and album YAML (as
its backups write them), Immich's UPLOAD_LOCATION with the XMP sidecars it writes (tags in
digiKam:TagsList) beside its own thumbnails and encoded videos."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from albumen.accounts.users import create_user
from albumen.db.albums import Album, AlbumAsset
from albumen.db.models import Asset
from albumen.interchange.sources import import_from
from albumen.runtime import Runtime
from tests import images
from tests.conftest import make_settings

PASSWORD = "a-long-password"

PRISM_PHOTO = """TakenAt: 2019-06-08T10:33:20Z
TakenAtLocal: 2019-06-08T12:33:20Z
TakenSrc: meta
UID: pqw1tram
Type: image
Title: Tram 28
TitleSrc: manual
Description: Alfama, früh am Morgen
DescriptionSrc: manual
OriginalName: IMG_0001.jpg
Favorite: true
Private: false
TimeZone: Europe/Lisbon
Lat: 38.7139
Lng: -9.1334
Altitude: 40
Year: 2019
Month: 6
Day: 8
Details:
  Keywords: tram, alfama, lisbon
  KeywordsSrc: manual
  Notes: ""
CreatedAt: 2020-01-01T00:00:00Z
UpdatedAt: 2020-01-02T00:00:00Z
"""

PRISM_ALBUM = """UID: aqw1summer
Slug: summer-in-lisbon
Type: album
Title: Summer in Lisbon
Description: ""
Favorite: false
Photos:
  - UID: pqw1tram
    UpdatedAt: 2020-01-02T00:00:00Z
  - UID: pqw1unknown
"""

IMMICH_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Image::ExifTool 12.76">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:digiKam="http://www.digikam.org/ns/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/">
  <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Sunset from the ferry</rdf:li>
  </rdf:Alt></dc:description>
  <digiKam:TagsList><rdf:Seq><rdf:li>Trips/Portugal/Lisbon</rdf:li><rdf:li>ferry</rdf:li>
  </rdf:Seq></digiKam:TagsList>
  <exif:DateTimeOriginal>2019-06-09T20:15:00.000+01:00</exif:DateTimeOriginal>
  <exif:GPSLatitude>38,41.4N</exif:GPSLatitude>
  <exif:GPSLongitude>9,9.6W</exif:GPSLongitude>
  <xmp:Rating>4</xmp:Rating>
 </rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _rt(tmp_path: Path, db_url: str) -> tuple[Runtime, int]:
    rt = Runtime(make_settings(tmp_path / "data", db_url))
    rt.migrate()
    return rt, create_user(rt, "admin", PASSWORD, admin=True).id


def test_a_photoprism_library_imports_with_its_yaml_and_albums(tmp_path: Path,
                                                               db_url: str) -> None:
    rt, owner = _rt(tmp_path, db_url)
    root = tmp_path / "photoprism"
    images.write(root / "originals" / "2019" / "06" / "IMG_0001.jpg", images.jpeg(seed=1))
    images.write(root / "originals" / "2019" / "06" / "IMG_0002.jpg", images.jpeg(seed=2))
    images.write(root / "originals" / "scans" / "bad.jpg", images.jpeg(seed=3))
    images.write(root / "originals" / "scans" / "typed.jpg", images.jpeg(seed=4))
    sidecar = root / "storage" / "sidecar"
    (sidecar / "2019" / "06").mkdir(parents=True)
    (sidecar / "2019" / "06" / "IMG_0001.yml").write_text(PRISM_PHOTO, "utf-8")
    (sidecar / "scans").mkdir()
    (sidecar / "scans" / "bad.yml").write_text("Title: [unclosed\n")
    (sidecar / "scans" / "typed.yml").write_text(
        "TakenAt: yesterday\nTitle: 5\nLat: north\nFavorite: maybe\nDescription: kept\n")
    (root / "storage" / "albums" / "album").mkdir(parents=True)
    (root / "storage" / "albums" / "album" / "aqw1summer.yml").write_text(PRISM_ALBUM)
    (root / "storage" / "albums" / "album" / "broken.yml").write_text("- just\n- a list\n")

    report = import_from(rt, "photoprism", [root], owner)
    by_name = {r.filename: r for r in report.results}
    assert report.counts["imported"] == 4
    assert {n for n, r in by_name.items() if r.outcome == "rejected"} == {"bad.yml",
                                                                          "broken.yml"}
    assert "not YAML" in by_name["bad.yml"].reason
    assert {w.split(":")[0] for w in by_name["typed.jpg"].warnings} == {
        "TakenAt", "Title", "Lat", "Favorite"}
    assert report.albums == {"Summer in Lisbon": 1}
    with rt.session() as session:
        tram = session.get(Asset, by_name["IMG_0001.jpg"].asset_id)
        assert (tram.title, tram.description, tram.favorite) == (
            "Tram 28", "Alfama, früh am Morgen", True)
        assert tram.taken_at == datetime(2019, 6, 8, 10, 33, 20, tzinfo=UTC)
        assert tram.taken_at_local.replace(tzinfo=None) == datetime(2019, 6, 8, 12, 33, 20)
        assert tram.taken_at_offset_minutes == 120
        assert sorted(tram.keywords) == ["alfama", "lisbon", "tram"]
        assert round(tram.latitude, 4) == 38.7139 and tram.altitude == 40
        assert session.get(Asset, by_name["typed.jpg"].asset_id).description == "kept"
        album = session.query(Album).one()
        assert [a.asset_id for a in session.query(AlbumAsset).filter_by(album_id=album.id)] \
            == [tram.id]
    again = import_from(rt, "photoprism", [root], owner)
    assert again.counts["imported"] == 0
    with rt.session() as session:
        assert session.query(AlbumAsset).count() == 1 and session.query(Asset).count() == 4


def test_an_immich_upload_location_imports_originals_with_their_sidecars(
        tmp_path: Path, db_url: str) -> None:
    rt, owner = _rt(tmp_path, db_url)
    root = tmp_path / "immich"
    photo = root / "library" / "admin" / "2019" / "2019-06-09" / "IMG_0100.jpg"
    images.write(photo, images.jpeg(seed=5))
    photo.with_name("IMG_0100.jpg.xmp").write_text(IMMICH_XMP, "utf-8")
    images.write(root / "upload" / "upload" / "uuid" / "ab" / "cd" / "x.jpg",
                 images.jpeg(seed=6))
    # Immich's own copies: never imported.
    images.write(root / "thumbs" / "uuid" / "ab" / "thumb.jpg", images.jpeg(seed=7))
    images.write(root / "encoded-video" / "uuid" / "preview.jpg", images.jpeg(seed=8))
    report = import_from(rt, "immich", [root], owner)
    assert report.counts == {"imported": 2, "duplicate": 0, "skipped": 0, "rejected": 0}
    with rt.session() as session:
        asset = session.get(Asset, report.asset_ids[0])
        assert asset.original_filename == "IMG_0100.jpg"
        assert (asset.description, asset.rating) == ("Sunset from the ferry", 4)
        assert asset.taken_at_offset_minutes == 60
        assert round(asset.latitude, 3) == 38.69 and round(asset.longitude, 3) == -9.16
        assert set(asset.keywords) == {"Lisbon", "ferry"}
        assert asset.keyword_paths == ["Trips|Portugal|Lisbon"]
