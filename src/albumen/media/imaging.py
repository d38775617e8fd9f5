"""Opening images: codec plugins, pixel limits, scaled decoding, orientation, colour."""

from __future__ import annotations

import functools
import io
import logging
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import simplejpeg
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from albumen.errors import MediaDecodeError, RejectedFile
from albumen.media import budget

log = logging.getLogger(__name__)
_registered = threading.Lock()
_done = False
_SRGB = ImageCms.createProfile("sRGB")
DAMAGED = "cannot read the image: its header is damaged or it is not really this format"
# Derivatives keep the picture's shape up to this long:short ratio; longer ones are scaled by
# their long side instead (WebP stops at 16,383 pixels a side, and nobody scrolls 24,000).
# Decoding for them needs no more than that either.
MAX_ASPECT = 4


# A file to decode: its path, or its bytes in memory (a selfie, never written anywhere).
Source = Path | bytes


def _image_input(source: Source) -> Path | io.BytesIO:
    """What Image.open takes: a path (Pillow opens and closes the file) or the bytes' view."""
    return io.BytesIO(source) if isinstance(source, bytes) else source


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


@dataclass(frozen=True)
class DecodePlan:
    """How ``open_for_display`` decodes a file, and the memory that takes at its peak."""

    format: str
    mode: str
    size: tuple[int, int]  # of the stored image
    output: tuple[int, int]  # what the decode hands on (reduced where it can be), not upright
    nbytes: int  # estimated peak: decoder output and state, bands, working copies

    def describe(self) -> str:
        return f"{self.size[0]}x{self.size[1]} {self.format} ({self.mode})"


# Working copies per pixel of the output, after the decode: the copy into NumPy, orientation
# and the ICC transform's copies into Pillow and back (RGBA: 4 + 4 + 4 + 4 bytes).
WORK_BYTES_PER_PIXEL = 16
# Modes other than RGB are converted and reduced a band of rows of about this size at a time;
# a band lives as its crop, its conversion and its reduction, and the next one's crop.
BAND_BYTES = 8 * budget.MiB
_BANDS_BYTES = 4 * BAND_BYTES
# Decoder state and the allocator's slack, whatever the size (zlib, libjpeg's row buffers...).
_FIXED_BYTES = 16 * budget.MiB


def decode_plan(path: Path, min_short_side: int, max_long_side: int | None = None) -> DecodePlan:
    """The plan ``open_for_display`` would follow for ``path``, from its header alone."""
    register_codecs()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                return _plan(im, path, _cover(*im.size, min_short_side, max_long_side))
    except UnidentifiedImageError as exc:
        raise MediaDecodeError(DAMAGED) from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise MediaDecodeError(f"cannot read image header: {exc}") from exc


def check_decode_budget(path: Path, min_short_side: int,
                        max_long_side: int | None = None) -> DecodePlan:
    """Refuse (RejectedFile) a file whose decode for display could never fit in the process's
    decode budget, before it is stored; MediaDecodeError for a header that cannot be read."""
    plan = decode_plan(path, min_short_side, max_long_side)
    capacity = budget.decode_budget().capacity
    if plan.nbytes > capacity:
        message, details = _over_budget(plan, capacity)
        raise RejectedFile(message, details=details)
    return plan


def _over_budget(plan: DecodePlan, capacity: int) -> tuple[str, dict[str, Any]]:
    """The refusal's message and details."""
    width, height = plan.size
    return budget.over_budget_message(plan.describe(), plan.nbytes, capacity), {
        "width": width, "height": height, "format": plan.format, "mode": plan.mode,
        "needed_mb": -(-plan.nbytes // budget.MiB), "budget_mb": capacity // budget.MiB}


@contextmanager
def _reserved(plan: DecodePlan) -> Iterator[None]:
    """Hold the plan's bytes of the decode budget, waiting for them; MediaDecodeError when they
    could never fit (a file stored before the budget was lowered, say)."""
    held = budget.decode_budget()
    try:
        held.acquire(plan.nbytes)
    except budget.OverBudget as exc:
        message, details = _over_budget(plan, exc.capacity)
        raise MediaDecodeError(message, details=details) from None
    try:
        yield
    finally:
        held.release(plan.nbytes)
        if plan.nbytes >= budget.TRIM_AFTER:
            budget.give_back_freed_memory()


def open_for_display(path: Source, min_short_side: int, max_pixels: int, *,
                     max_long_side: int | None = None) -> np.ndarray:
    """Decode once at the smallest scale that still covers ``min_short_side`` (and
    ``max_long_side``, where derivatives stop at a long side): upright, sRGB, as an H x W x 3
    (RGB) or H x W x 4 (RGBA, when transparent) array of bytes.

    JPEGs are decoded by libjpeg-turbo through simplejpeg, DCT-scaled by any of its factors
    (1/8 to 8/8 in eighths), so a 12 MP photo costs a fraction of a full decode; everything
    else, and any JPEG simplejpeg declines (CMYK, arithmetic coding, damage), goes through Pillow.
    Other formats cannot decode reduced: Pillow decodes them at full size, then the pixels are
    reduced by exact box averages (converted from palette, grey or 16-bit a band of rows at a
    time) so that only the decoder's own output is ever full size.

    The decode holds its estimated peak (``decode_plan``) of the process's decode budget while
    it runs, waiting its turn for it; one that could never fit is a MediaDecodeError naming the
    size and the budget.
    """
    register_codecs()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(_image_input(path))
        with im:
            width, height = im.size
            if width * height > max_pixels:
                raise MediaDecodeError(
                    f"image has {width}x{height} pixels, over the limit of {max_pixels:,}")
            cover = _cover(width, height, min_short_side, max_long_side)
            plan = _plan(im, path, cover)
            jpeg = im.format == "JPEG" and im.mode in ("RGB", "L")
            orientation = _orientation(im) if jpeg else 1
            icc = im.info.get("icc_profile")
        # The header's image is closed first: WebP's keeps the whole file and its canvases.
        with _reserved(plan):
            if jpeg:
                pixels = _decode_jpeg(path, cover)
                if pixels is not None:
                    return _icc_to_srgb(orient(pixels, orientation), icc)
            return _pillow_pixels(path, cover)
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


def _cover(width: int, height: int, min_short_side: int,
           max_long_side: int | None) -> tuple[int, int]:
    """The smallest size that still covers what is wanted of a width x height image: its short
    side scaled to ``min_short_side``, unless its long side reaches ``max_long_side`` first;
    never more than the image. Integer arithmetic, rounded up."""
    short, long = min(width, height), max(width, height)
    if max_long_side is not None and max_long_side * short < min_short_side * long:
        num, den = max_long_side, long  # a long panorama: its long side is the limit
    else:
        num, den = min_short_side, short
    if num >= den:
        return width, height
    return max(1, -(-width * num // den)), max(1, -(-height * num // den))


def _reduction(size: tuple[int, int], cover: tuple[int, int]) -> int:
    """The largest power of two the image can be reduced by and still cover ``cover``."""
    factor = 1
    while size[0] // (2 * factor) >= cover[0] and size[1] // (2 * factor) >= cover[1]:
        factor *= 2
    return factor


def _reduced(size: tuple[int, int], factor: int) -> tuple[int, int]:
    return -(-size[0] // factor), -(-size[1] // factor)  # Pillow's reduce rounds up


def _plan(im: Image.Image, path: Source, cover: tuple[int, int]) -> DecodePlan:
    width, height = im.size
    fmt, mode = im.format or "unknown", im.mode
    file_size = len(path) if isinstance(path, bytes) else path.stat().st_size
    if fmt == "JPEG":
        # An upper bound of both ways it may go: simplejpeg's eighths decode from the whole
        # file in memory; Pillow's draft scales by 1/2, 1/4 or 1/8 only, 4 bytes a pixel.
        coefficients = 0
        if _jpeg_keeps_coefficients(path):
            sampling = [(h, v) for _, h, v, _ in getattr(im, "layer", [])]
            coefficients = budget.jpeg_coefficient_bytes(width, height, sampling)
        scale = _reduction((width, height), cover)
        decoded = _reduced((width, height), min(scale, 8))
        output = _reduced(decoded, _reduction(decoded, cover))
        decoder = coefficients + file_size + decoded[0] * decoded[1] * 4
        decoder += 0 if mode == "RGB" else _BANDS_BYTES
    else:
        output = _reduced((width, height), _reduction((width, height), cover))
        decoder = (width * height * budget.pixel_bytes(mode)
                   + budget.decoder_bytes(fmt, width * height, file_size)
                   + (0 if mode == "RGB" else _BANDS_BYTES))
    nbytes = _FIXED_BYTES + decoder + output[0] * output[1] * WORK_BYTES_PER_PIXEL
    return DecodePlan(fmt, mode, (width, height), output, nbytes)


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_SOF_PROGRESSIVE = {0xC2, 0xC6, 0xCA, 0xCE}


def _jpeg_keeps_coefficients(path: Source) -> bool:
    """Whether libjpeg keeps the whole image's DCT coefficients while decoding: progressive
    JPEGs, and sequential ones whose first scan lacks some components (each in a scan of its
    own). Read from the markers before the first scan; anything unexpected counts as yes."""
    with io.BytesIO(path) if isinstance(path, bytes) else path.open("rb") as fh:
        if fh.read(2) != b"\xff\xd8":
            return True
        components = 0
        while True:
            marker = fh.read(2)
            if len(marker) < 2 or marker[0] != 0xFF:
                return True
            while marker[1] == 0xFF:  # fill bytes
                marker = marker[1:] + fh.read(1)
                if len(marker) < 2:
                    return True
            kind = marker[1]
            if kind == 0x01 or 0xD0 <= kind <= 0xD7:  # standalone markers
                continue
            length = int.from_bytes(fh.read(2), "big")
            if length < 2:
                return True
            if kind in _SOF:
                if kind in _SOF_PROGRESSIVE:
                    return True
                frame = fh.read(length - 2)
                components = frame[5] if len(frame) > 5 else 0
            elif kind == 0xDA:  # start of the first scan
                count = fh.read(1)
                return not count or count[0] < components
            elif kind == 0xD9:
                return True
            else:
                fh.seek(length - 2, io.SEEK_CUR)


def decode_jpeg_scaled(path: Path, width: int, height: int, min_short_side: int,
                       max_long_side: int | None = None) -> np.ndarray | None:
    """The JPEG's pixels, DCT-scaled; None when simplejpeg cannot decode it exactly."""
    return _decode_jpeg(path, _cover(width, height, min_short_side, max_long_side))


def _decode_jpeg(path: Source, cover: tuple[int, int]) -> np.ndarray | None:
    try:
        data = path if isinstance(path, bytes) else path.read_bytes()
        return simplejpeg.decode_jpeg(data, colorspace="RGB",
                                      min_width=cover[0], min_height=cover[1])
    except ValueError as exc:  # Pillow decides (and words the error) for what this declines
        log.debug("simplejpeg declined %s: %s", getattr(path, "name", "a JPEG"), exc)
        return None


def _pillow_pixels(path: Source, cover: tuple[int, int]) -> np.ndarray:
    with Image.open(_image_input(path)) as im:
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
        if im.format == "JPEG" and cover != im.size:
            im.draft("RGB", cover)  # a size still >= cover
        im.load()
        orientation = _orientation(im)
        # Pillow's box reduction is exact 2x2 (4x4, ...) averaging, as halve_to's, and
        # leaves fewer bytes to copy into NumPy (a 12 MP copy alone costs ~50 ms).
        factor = _reduction(im.size, cover)
        if im.mode == "RGB":
            icc = im.info.get("icc_profile")
            pixels = np.asarray(im.reduce(factor) if factor > 1 else im)
        else:  # transparent, palette, grey, CMYK, 16-bit: converted (through their profile)
            pixels, icc = _convert_in_bands(im, factor)
    # Orientation and colour cost per pixel (a Display P3 -> sRGB transform of a 12 MP HEIC
    # takes ~240 ms, of the same photo halved ~50 ms): scale first, as the JPEG path does.
    pixels = orient(pixels, orientation)
    return _icc_to_srgb(pixels, icc)


def _convert_in_bands(im: Image.Image, factor: int) -> tuple[np.ndarray, bytes | None]:
    """``to_srgb`` and ``reduce(factor)`` of the whole image, done a band of rows at a time
    (bands a multiple of ``factor`` high, so every box is the one the whole image would use):
    the conversion to RGB(A) at full size, Pillow's premultiplied copy of an RGBA image and the
    copy into NumPy never exist. Returns the pixels, and the ICC profile still to apply (RGBA
    keeps its profile for later, as RGB does; other modes are converted through theirs)."""
    width, height = im.size
    rows = max(factor, BAND_BYTES // (4 * width) // factor * factor)
    keep_icc = im.mode == "RGBA"
    out: np.ndarray | None = None
    for top in range(0, height, rows):
        band = im.crop((0, top, width, min(height, top + rows)))
        if not keep_icc:
            band = to_srgb(band)
        if factor > 1:
            band = band.reduce(factor)
        pixels = np.asarray(band)
        del band
        if out is None:
            out_w, out_h = _reduced((width, height), factor)
            out = np.empty((out_h, out_w, pixels.shape[2]), np.uint8)
        out[top // factor: top // factor + pixels.shape[0]] = pixels
    assert out is not None
    return out, im.info.get("icc_profile") if keep_icc else None


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


def as_plain_jpeg(data: bytes, quality: int = 95) -> bytes:
    """The image re-encoded as a JPEG of the same pixels, upright and with its colour profile
    but no other metadata (a HEIC or AVIF whose metadata cannot be rewritten in place). It
    decodes at full size, so it holds that of the decode budget: the decode, its upright RGB
    copy and the encoder's rows; MediaDecodeError when that could never fit."""
    register_codecs()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
        with im:
            width, height = im.size
            pixels = width * height
            nbytes = (_FIXED_BYTES + pixels * (budget.pixel_bytes(im.mode) + 2 * 3)
                      + budget.decoder_bytes(im.format or "unknown", pixels, len(data)))
            plan = DecodePlan(im.format or "unknown", im.mode, im.size, im.size, nbytes)
            with _reserved(plan):
                upright = ImageOps.exif_transpose(im).convert("RGB")
                out = io.BytesIO()
                upright.save(out, "JPEG", quality=quality,
                             icc_profile=im.info.get("icc_profile"))
                return out.getvalue()
    except UnidentifiedImageError as exc:
        raise MediaDecodeError(DAMAGED) from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise MediaDecodeError(f"cannot decode image: {exc}") from exc


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
