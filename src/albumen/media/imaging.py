"""Opening images with Pillow: codec plugins, pixel limits, orientation, colour."""

from __future__ import annotations

import io
import logging
import threading
import warnings
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from albumen.errors import MediaDecodeError, RejectedFile

log = logging.getLogger(__name__)
_registered = threading.Lock()
_done = False
_SRGB = ImageCms.createProfile("sRGB")
DAMAGED = "cannot read the image: its header is damaged or it is not really this format"


def register_codecs() -> None:
    """HEIF/AVIF via pillow-heif where Pillow lacks them (idempotent, cheap after the first)."""
    global _done
    if _done:
        return
    with _registered:
        if _done:
            return
        import pillow_heif

        pillow_heif.register_heif_opener()
        Image.init()
        if "AVIF" not in Image.OPEN:
            pillow_heif.register_avif_opener()
        _done = True


def check_header(path: Path, max_pixels: int) -> tuple[int, int]:
    """Read only the header: the pixel size, refusing decompression bombs before decoding.

    Returns (width, height); raises RejectedFile for a bomb and MediaDecodeError for a header
    Pillow cannot parse.
    """
    register_codecs()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
    except Image.DecompressionBombError as exc:
        raise RejectedFile(f"image is too large to decode safely: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise MediaDecodeError(DAMAGED) from exc
    except Exception as exc:
        raise MediaDecodeError(f"cannot read image header: {exc}") from exc
    if width * height > max_pixels:
        raise RejectedFile(
            f"image has {width}x{height} = {width * height:,} pixels, "
            f"over the limit of {max_pixels:,} (decompression bomb protection)",
            details={"width": width, "height": height, "max_pixels": max_pixels},
        )
    return width, height


def open_for_display(path: Path, min_short_side: int, max_pixels: int) -> Image.Image:
    """Decode once at the smallest scale that still covers ``min_short_side``, upright, in sRGB.

    JPEGs use DCT scaling (``draft``) so a 12 MP photo is decoded at a fraction of the cost.
    """
    register_codecs()
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        im = Image.open(path)
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
        width, height = im.size
        if im.format == "JPEG" and min(width, height) > min_short_side:
            scale = min(width, height) / min_short_side
            im.draft("RGB", (int(width / scale), int(height / scale)))
        im.load()
        im = ImageOps.exif_transpose(im, in_place=True) or im
        return to_srgb(im)
    except UnidentifiedImageError as exc:
        raise MediaDecodeError(DAMAGED) from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise MediaDecodeError(f"cannot decode image: {exc}") from exc


def to_srgb(im: Image.Image) -> Image.Image:
    """Convert to 8-bit RGB (or RGBA when transparent) in sRGB, honouring an ICC profile."""
    icc = im.info.get("icc_profile")
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    target = "RGBA" if has_alpha else "RGB"
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if im.mode not in ("RGB", "RGBA"):
                im = im.convert(target)
            return ImageCms.profileToProfile(im, src, _SRGB, outputMode=im.mode)
        except (ImageCms.PyCMSError, OSError, ValueError) as exc:
            log.debug("ignoring unusable ICC profile: %s", exc)
    if im.mode == "I;16" or im.mode.startswith("I;16"):
        im = im.point(lambda v: v / 256).convert("L")
    return im if im.mode == target else im.convert(target)
