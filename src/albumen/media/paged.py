"""Documents made of pages, whatever their format: a PDF (read with PDFium, media/pdf.py) or a
multi-page TIFF (a scanner's or a fax's output, read with Pillow: pages of pixels, no text
layer, so every page is read by OCR).

Every page of a TIFF is checked against the pixel limit before any is decoded (a small file
may declare a huge page), and a page is decoded alone.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from albumen.errors import MediaDecodeError, RejectedFile
from albumen.media import pdf
from albumen.media.imaging import register_codecs

FORMATS = ("pdf", "tiff")


def page_count(path: Path) -> int:
    """Pages of a TIFF (1 for a single image); MediaDecodeError when it does not open."""
    register_codecs()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                return int(getattr(im, "n_frames", 1))
    except Exception as exc:
        raise MediaDecodeError(f"cannot read the TIFF's pages: {exc}") from exc


def inspect(path: Path, fmt: str, max_pages: int, max_pixels: int,
            password: str | None = None) -> pdf.PdfInfo:
    """Pages, first page size (points) and metadata; refuses what is over the limits."""
    if fmt == "pdf":
        return pdf.inspect(path, max_pages, password)
    register_codecs()
    sizes = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                pages = int(getattr(im, "n_frames", 1))
                if pages > max_pages:
                    raise RejectedFile(
                        f"the TIFF has {pages:,} pages, more than the limit of {max_pages:,}",
                        details={"pages": pages, "max_pages": max_pages})
                for index in range(pages):
                    im.seek(index)
                    width, height = im.size
                    if width * height > max_pixels:
                        raise RejectedFile(
                            f"page {index + 1} has {width}x{height} = {width * height:,} "
                            f"pixels, over the limit of {max_pixels:,} (decompression bomb "
                            "protection)", details={"page": index + 1, "max_pixels": max_pixels})
                    dpi = im.info.get("dpi") or (72, 72)
                    sizes.append((width, height, float(dpi[0]) or 72.0, float(dpi[1]) or 72.0))
    except (RejectedFile, MediaDecodeError):
        raise
    except Exception as exc:
        raise MediaDecodeError(f"cannot read the TIFF's pages: {exc}") from exc
    width, height, xdpi, ydpi = sizes[0]
    points = (round(width / xdpi * pdf.POINTS_PER_INCH, 2),
              round(height / ydpi * pdf.POINTS_PER_INCH, 2))
    return pdf.PdfInfo(pages=len(sizes), page_size=points)


def page_texts(path: Path, fmt: str, password: str | None = None) -> Iterator[tuple[int, str]]:
    """Each page's text layer (a TIFF has none: "" for each page)."""
    if fmt == "pdf":
        yield from pdf.page_texts(path, password)
        return
    for number in range(1, page_count(path) + 1):
        yield number, ""


def render_pages(path: Path, fmt: str, numbers: Iterable[int], long_side: int, max_pixels: int,
                 password: str | None = None, short_side: int | None = None
                 ) -> Iterator[tuple[int, np.ndarray]]:
    """Pages as upright RGB pixels within the sizes asked (``pdf.render_pages``)."""
    if fmt == "pdf":
        yield from pdf.render_pages(path, numbers, long_side, max_pixels, password, short_side)
        return
    register_codecs()
    with Image.open(path) as im:
        pages = int(getattr(im, "n_frames", 1))
        for number in numbers:
            if not 1 <= number <= pages:
                raise MediaDecodeError(f"the TIFF has no page {number}")
            im.seek(number - 1)
            try:
                frame = ImageOps.exif_transpose(im.convert("RGB"))
            except Exception as exc:
                raise MediaDecodeError(f"page {number} cannot be decoded: {exc}") from exc
            width, height = frame.size
            scale = min(1.0, long_side / max(width, height),
                        math.sqrt(max_pixels / (width * height)))
            if short_side is not None:
                scale = min(scale, short_side / min(width, height))
            if scale < 1:
                size = (max(1, math.floor(width * scale)), max(1, math.floor(height * scale)))
                frame = frame.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            yield number, np.asarray(frame)


def render_page(path: Path, fmt: str, number: int, long_side: int, max_pixels: int,
                password: str | None = None, short_side: int | None = None) -> np.ndarray:
    return next(render_pages(path, fmt, [number], long_side, max_pixels, password,
                             short_side))[1]
