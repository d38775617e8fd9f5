"""Location stripping (media.strip) and streamed ZIP downloads (services.zipstream)."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path

import pyexiv2
import pytest
from PIL import Image

from albumen.errors import MediaDecodeError
from albumen.events.zipstream import (
    MAX_NAME_BYTES,
    ZipMember,
    safe_unique_names,
    zip_size,
    zip_stream,
)
from albumen.media.strip import StripUnsupported, has_location, strip_location
from tests import images

XMP_PLACES = """<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/"
 xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
 xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 exif:GPSLatitude="48,51.0N" exif:GPSLongitude="2,21.0E" photoshop:City="Paris"
 photoshop:State="IDF" photoshop:Country="France" Iptc4xmpCore:Location="Louvre">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Holiday</rdf:li></rdf:Alt></dc:title>
<Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li rdf:parseType="Resource">
<Iptc4xmpExt:Sublocation>Pyramide</Iptc4xmpExt:Sublocation></rdf:li></rdf:Bag>
</Iptc4xmpExt:LocationShown>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


def _tags(data: bytes) -> tuple[dict, dict, dict]:
    img = pyexiv2.ImageData(data)
    try:
        return img.read_exif(), img.read_iptc(), img.read_xmp()
    finally:
        img.close()


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return im.tobytes()


def _with_places(data: bytes) -> bytes:
    img = pyexiv2.ImageData(data)
    try:
        img.modify_raw_xmp(XMP_PLACES)
        img.modify_iptc({"Iptc.Application2.City": "Paris",
                         "Iptc.Application2.Caption": "At the museum"})
        return img.get_bytes()
    finally:
        img.close()


# ---------------------------------------------------------------- strip_location


def test_strip_jpeg_gps_keeps_other_exif_and_pixels() -> None:
    original = images.jpeg(exif=images.exif_bytes(gps=(48.8584, 2.2945), altitude=35.0))
    assert has_location(original)
    before = bytes(original)

    stripped = strip_location(original)

    assert original == before  # the input is never modified
    assert not has_location(stripped)
    exif, _, _ = _tags(stripped)
    assert not [k for k in exif if k.startswith("Exif.GPSInfo.") or k == "Exif.Image.GPSTag"]
    assert exif["Exif.Image.Make"] == "Canon"
    assert exif["Exif.Image.Model"] == "EOS R5"
    assert exif["Exif.Photo.DateTimeOriginal"] == "2023:06:01 18:30:00"
    assert _pixels(stripped) == _pixels(original)
    assert b"GPS" not in stripped


def test_strip_xmp_and_iptc_places() -> None:
    original = _with_places(images.jpeg(exif=images.exif_bytes(gps=(1.5, 2.5))))
    assert has_location(original)

    stripped = strip_location(original)

    assert not has_location(stripped)
    exif, iptc, xmp = _tags(stripped)
    assert "Iptc.Application2.City" not in iptc
    assert iptc["Iptc.Application2.Caption"] == "At the museum"
    assert not [k for k in xmp if "GPS" in k or "Location" in k or k.startswith("Xmp.photoshop")]
    assert xmp["Xmp.dc.title"] == {'lang="x-default"': "Holiday"}
    assert exif["Exif.Image.Model"] == "EOS R5"
    for place in (b"Paris", b"Louvre", b"Pyramide", b"France"):
        assert place not in stripped
    assert _pixels(stripped) == _pixels(original)


def test_strip_png_round_trip() -> None:
    buf = io.BytesIO()
    images.photo(320, 240).save(buf, "PNG", exif=images.exif_bytes(gps=(10.0, 20.0)))
    original = buf.getvalue()
    assert has_location(original)

    stripped = strip_location(original)

    assert not has_location(stripped)
    assert _tags(stripped)[0]["Exif.Image.Make"] == "Canon"
    assert _pixels(stripped) == _pixels(original)
    assert strip_location(stripped) == stripped  # nothing left to remove


def test_strip_without_metadata_returns_input() -> None:
    plain = images.jpeg()
    assert not has_location(plain)
    assert strip_location(plain) == plain
    assert Image.open(io.BytesIO(strip_location(plain))).size == (800, 600)
    no_gps = images.jpeg(exif=images.exif_bytes())
    assert strip_location(no_gps) == no_gps


@pytest.mark.parametrize("data", [b"", b"not an image at all", images.jpeg()[:120]])
def test_strip_corrupt_raises(data: bytes) -> None:
    with pytest.raises(MediaDecodeError, match="cannot read image metadata"):
        strip_location(data)
    with pytest.raises(MediaDecodeError):
        has_location(data)


def test_strip_unwritable_format_raises() -> None:
    from albumen.media.imaging import register_codecs

    register_codecs()
    buf = io.BytesIO()
    try:
        images.photo(64, 48).save(buf, "HEIF", exif=images.exif_bytes(gps=(1.0, 2.0)))
    except (KeyError, OSError, ValueError) as exc:  # pragma: no cover - codec missing
        pytest.skip(f"no HEIF encoder: {exc}")
    if not has_location(buf.getvalue()):  # pragma: no cover - exiv2 built without BMFF
        pytest.skip("exiv2 does not read HEIF metadata here")
    with pytest.raises(StripUnsupported, match="image/heic"):
        strip_location(buf.getvalue())


# ---------------------------------------------------------------- safe_unique_names


def test_names_strip_directories_and_bad_characters() -> None:
    assert safe_unique_names(["../../etc/passwd"]) == ["passwd"]
    assert safe_unique_names(["C:\\Users\\me\\photo.jpg"]) == ["photo.jpg"]
    assert safe_unique_names(['a<b>c:d"e|f?g*h.jpg']) == ["abcdefgh.jpg"]
    assert safe_unique_names(["tab\there\x00\x1f\x7f.png"]) == ["tabhere.png"]
    assert safe_unique_names(["evil\u202egpj.exe"]) == ["evilgpj.exe"]
    assert safe_unique_names(["  ..hidden.jpg. . "]) == ["hidden.jpg"]


def test_names_empty_and_reserved() -> None:
    assert safe_unique_names(["", "..", "dir/", " . "]) == [
        "file", "file (2)", "file (3)", "file (4)",
    ]
    assert safe_unique_names(["CON", "con.txt", "Lpt9.tar.gz", "aux .jpg", "COM10.jpg"]) == [
        "_CON", "_con.txt", "_Lpt9.tar.gz", "_aux .jpg", "COM10.jpg",
    ]


def test_names_unique_case_insensitive() -> None:
    names = ["IMG_1.jpg", "img_1.JPG", "IMG_1.jpg", "IMG_1 (2).jpg", "photo", "Photo"]
    assert safe_unique_names(names) == [
        "IMG_1.jpg", "img_1 (2).JPG", "IMG_1 (3).jpg", "IMG_1 (2) (2).jpg", "photo", "Photo (2)",
    ]


def test_names_long_truncated_keeping_extension() -> None:
    long_name = "é" * 300 + ".jpeg"
    first, second = safe_unique_names([long_name, long_name])
    for name in (first, second):
        assert len(name.encode()) <= MAX_NAME_BYTES
        assert name.endswith(".jpeg")
    assert second.endswith(" (2).jpeg")
    assert first != second
    assert safe_unique_names(["x" * 500])[0] == "x" * MAX_NAME_BYTES


def test_names_non_utf8() -> None:
    escaped = b"caf\xe9.jpg".decode("utf-8", "surrogateescape")
    assert safe_unique_names([escaped, "lone\ud800.jpg"]) == ["caf\ufffd.jpg", "lone.jpg"]
    assert safe_unique_names(["cafe\u0301.jpg", "caf\u00e9.JPG"]) == ["caf\u00e9.jpg",
                                                                      "caf\u00e9 (2).JPG"]


# ---------------------------------------------------------------- zip_stream


def _unzip(chunks: list[bytes]) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    return archive


def test_zip_names_contents_and_dates(tmp_path: Path) -> None:
    photo = images.write(tmp_path / "a.jpg", images.jpeg(seed=1))
    other = images.write(tmp_path / "b.jpg", images.jpeg(seed=2))
    taken = datetime(2021, 7, 4, 12, 30, 10)
    members = [
        ZipMember("holiday/IMG.jpg", path=photo, mtime=taken),
        ZipMember("img.JPG", path=other),
        ZipMember("../notes.txt", data=lambda: "ünïcode ✓".encode()),
        ZipMember("empty.bin", data=lambda: b""),
    ]

    archive = _unzip(list(zip_stream(members, chunk_size=4096)))

    assert archive.namelist() == ["IMG.jpg", "img (2).JPG", "notes.txt", "empty.bin"]
    assert archive.read("IMG.jpg") == photo.read_bytes()
    assert archive.read("img (2).JPG") == other.read_bytes()
    assert archive.read("notes.txt") == "ünïcode ✓".encode()
    assert archive.read("empty.bin") == b""
    assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
    assert archive.getinfo("IMG.jpg").date_time == (2021, 7, 4, 12, 30, 10)
    on_disk = datetime.fromtimestamp(os.stat(other).st_mtime).timetuple()[:6]
    assert archive.getinfo("img (2).JPG").date_time[:5] == on_disk[:5]


def test_zip_local_headers_carry_the_date(tmp_path: Path) -> None:
    data = b"".join(zip_stream([ZipMember("a.txt", data=lambda: b"x",
                                          mtime=datetime(1970, 1, 1))]))
    # local header: DOS time then date at bytes 10-13; 1970 is clamped to 1980-01-01 00:00
    assert data[:4] == b"PK\x03\x04"
    assert data[10:14] == b"\x00\x00\x21\x00"
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_zip_size_matches(tmp_path: Path) -> None:
    members = [
        ZipMember(name, path=images.write(tmp_path / f"{i}.bin", os.urandom(1000 * i)))
        for i, name in enumerate(["a.jpg", "A.jpg", "ü/ñ.jpg", "", "b" * 400 + ".jpg"])
    ]
    assert zip_size(members) == len(b"".join(zip_stream(members)))
    assert zip_size([*members, ZipMember("x", data=lambda: b"")]) is None
    assert zip_size([]) == len(b"".join(zip_stream([]))) == 22
    assert _unzip(list(zip_stream([]))).namelist() == []


def test_zip_data_called_lazily_in_order() -> None:
    calls: list[str] = []

    def producer(name: str) -> bytes:
        calls.append(name)
        return name.encode() * 10

    def members():
        for name in ("one", "two", "three"):
            calls.append(f"member {name}")
            yield ZipMember(f"{name}.txt", data=lambda name=name: producer(name))

    stream = zip_stream(members(), chunk_size=8)
    assert calls == []  # nothing happens before the download starts
    chunks = [next(stream)]
    assert calls == ["member one", "one"]
    chunks += [next(stream) for _ in range(5)]
    assert calls == ["member one", "one"]  # still inside the first member
    chunks += list(stream)
    assert calls == ["member one", "one", "member two", "two", "member three", "three"]
    assert max(map(len, chunks[1:5])) == 8
    archive = _unzip(chunks)
    assert archive.read("three.txt") == b"three" * 10


def test_zip_streams_in_flat_memory(tmp_path: Path) -> None:
    count, size, chunk_size = 20, 2 * 1024 * 1024, 1 << 20
    paths = [images.write(tmp_path / f"{i}.jpg", os.urandom(size)) for i in range(count)]
    opened: list[int] = []

    def members():
        for i, path in enumerate(paths):
            opened.append(i)
            yield ZipMember("photo.jpg", path=path)

    total, largest = 0, 0
    tracemalloc.start()
    try:
        for chunk in zip_stream(members()):  # default chunk_size: 1 MiB
            total += len(chunk)
            largest = max(largest, len(chunk))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert opened == list(range(count))
    assert total > count * size
    assert largest <= chunk_size + 1024
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes for a {total} byte archive"
