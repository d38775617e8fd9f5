"""Opening images: codec plugins, pixel limits, scaled decoding, orientation, colour."""

from __future__ import annotations

import functools
import io
import logging
import threading
import warnings
from pathlib import Path

import cv2
import numpy as np
import simplejpeg
from PIL import Image, ImageCms, UnidentifiedImageError

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


def set_pixel_limit(max_pixels: int) -> None:
    """Pillow's own decompression-bomb limit (process-wide) set to the configured one, once,
    when a runtime is made (every entry point makes one before its first file): our check in
    check_header names the limit; Pillow's then only stops what gets past it."""
    Image.MAX_IMAGE_PIXELS = max_pixels


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


def open_for_display(path: Path, min_short_side: int, max_pixels: int) -> np.ndarray:
    """Decode once at the smallest scale that still covers ``min_short_side``: upright, sRGB,
    as an H x W x 3 (RGB) or H x W x 4 (RGBA, when transparent) array of bytes.

    JPEGs are decoded by libjpeg-turbo through simplejpeg, DCT-scaled by any of its factors
    (1/8 to 8/8 in eighths), so a 12 MP photo costs a fraction of a full decode; everything
    else, and any JPEG simplejpeg declines (CMYK, arithmetic coding, damage), goes through Pillow.
    """
    register_codecs()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(path)
        with im:
            width, height = im.size
            if width * height > max_pixels:
                raise MediaDecodeError(
                    f"image has {width}x{height} pixels, over the limit of {max_pixels:,}")
            if im.format == "JPEG" and im.mode in ("RGB", "L"):
                pixels = decode_jpeg_scaled(path, width, height, min_short_side)
                if pixels is not None:
                    return _icc_to_srgb(orient(pixels, _orientation(im)),
                                        im.info.get("icc_profile"))
        return _pillow_pixels(path, min_short_side)
    except UnidentifiedImageError as exc:
        raise MediaDecodeError(DAMAGED) from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise MediaDecodeError(f"cannot decode image: {exc}") from exc


ORIENTATION_TAG = 0x0112


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(ORIENTATION_TAG, 1)
    except Exception:  # a damaged EXIF block: show the pixels as stored
        return 1
    return value if isinstance(value, int) else 1


def decode_jpeg_scaled(
    path: Path, width: int, height: int, min_short_side: int
) -> np.ndarray | None:
    """The JPEG's pixels, DCT-scaled; None when simplejpeg cannot decode it exactly."""
    landscape = width >= height
    wanted = min(min_short_side, min(width, height))
    try:
        return simplejpeg.decode_jpeg(
            path.read_bytes(), colorspace="RGB",
            min_height=wanted if landscape else 0, min_width=0 if landscape else wanted)
    except ValueError as exc:  # Pillow decides (and words the error) for what this declines
        log.debug("simplejpeg declined %s: %s", path.name, exc)
        return None


def _pillow_pixels(path: Path, min_short_side: int) -> np.ndarray:
    with Image.open(path) as im:
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
        width, height = im.size
        if im.format == "JPEG" and min(width, height) > min_short_side:
            scale = min(width, height) / min_short_side
            im.draft("RGB", (int(width / scale), int(height / scale)))
        im.load()
        orientation = _orientation(im)
        if im.mode in ("RGB", "RGBA"):
            icc, factor = im.info.get("icc_profile"), 1
            while min(im.size) // (2 * factor) >= min_short_side:  # im.size: after any draft
                factor *= 2
            # Pillow's box reduction is exact 2x2 (4x4, ...) averaging, as halve_to's, and
            # leaves fewer bytes to copy into NumPy (a 12 MP copy alone costs ~50 ms).
            pixels = np.asarray(im.reduce(factor) if factor > 1 else im)
        else:  # palette, grey, CMYK, 16-bit: converted (through their profile) at full size
            pixels, icc = np.asarray(to_srgb(im)), None
    # Orientation and colour cost per pixel (a Display P3 -> sRGB transform of a 12 MP HEIC
    # takes ~240 ms, of the same photo halved ~50 ms): scale first, as the JPEG path does.
    return _icc_to_srgb(orient(halve_to(pixels, min_short_side), orientation), icc)


def halve_to(pixels: np.ndarray, short_side: int) -> np.ndarray:
    """Halve by exact 2x2 averages while the short side stays at least ``short_side``
    (OpenCV's fast path: 2x twice costs half of one 4x); an odd last row or column is dropped."""
    while min(pixels.shape[:2]) >= 2 * short_side:
        height, width = pixels.shape[0] // 2, pixels.shape[1] // 2
        pixels = cv2.resize(pixels[:2 * height, :2 * width], (width, height),
                            interpolation=cv2.INTER_AREA)
    return pixels


def orient(pixels: np.ndarray, orientation: int) -> np.ndarray:
    """Apply an EXIF orientation (1-8) to an H x W x C array, as Pillow's exif_transpose."""
    match orientation:
        case 2:
            return cv2.flip(pixels, 1)
        case 3:
            return cv2.rotate(pixels, cv2.ROTATE_180)
        case 4:
            return cv2.flip(pixels, 0)
        case 5:
            return cv2.transpose(pixels)
        case 6:
            return cv2.rotate(pixels, cv2.ROTATE_90_CLOCKWISE)
        case 7:
            return cv2.flip(cv2.transpose(pixels), -1)
        case 8:
            return cv2.rotate(pixels, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return pixels


def _icc_to_srgb(pixels: np.ndarray, icc: bytes | None) -> np.ndarray:
    transform = _transform_to_srgb(icc, "RGBA" if pixels.shape[2] == 4 else "RGB") if icc else None
    if transform is None:
        return pixels
    im = Image.fromarray(pixels)
    ImageCms.applyTransform(im, transform, inPlace=True)
    return np.asarray(im)


@functools.lru_cache(maxsize=32)
def _transform_to_srgb(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    """The colour transform from this profile to sRGB; None for sRGB itself or a profile that
    cannot be used (the pixels are then taken as sRGB)."""
    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(src).lower():
            return None
        return ImageCms.buildTransform(src, _SRGB, mode, mode)
    except (ImageCms.PyCMSError, OSError, ValueError) as exc:
        log.debug("ignoring unusable ICC profile: %s", exc)
        return None


def to_srgb(im: Image.Image) -> Image.Image:
    """Convert to 8-bit RGB (or RGBA when transparent) in sRGB, honouring an ICC profile."""
    icc = im.info.get("icc_profile")
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    target = "RGBA" if has_alpha else "RGB"
    if im.mode == "I;16" or im.mode.startswith("I;16"):
        im = im.point(lambda v: v / 256).convert("L")
    if icc and im.mode not in ("RGB", "RGBA"):
        try:  # a CMYK or grey profile: convert through it, not through Pillow's formulas
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(im, src, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError) as exc:
            log.debug("ignoring unusable ICC profile: %s", exc)
    im = im if im.mode == target else im.convert(target)
    if icc:
        transform = _transform_to_srgb(icc, target)
        if transform is not None:
            im = ImageCms.applyTransform(im, transform) or im
    return im
