"""What a transform asks for, as the URL's options segment: comma-separated ``key:value``
pairs, e.g. ``w:800,h:600,fit:cover,g:faces,q:80``. One canonical form (fixed order, defaults
left out) is what is signed and what names the cached rendition, so two spellings of one
transform share one rendition.

Keys: ``w``/``h`` (pixels), ``fit`` (``inside``: within w x h, ``cover``: fill it and crop,
``contain``: within it, padded to it), ``g`` gravity of a crop (``centre``, ``face``: the
largest face, ``faces``: all of them, ``smart``: the busiest part), ``dpr`` (1 to 4: w and h
multiplied), ``q`` quality (1-100), ``strip`` (``0`` keeps EXIF; default 1), ``blur`` (a
Gaussian sigma in output pixels, up to 100), ``rot`` (0, 90, 180, 270, clockwise, after the
photo's own orientation), ``bg`` (padding colour, ``rrggbb``), ``exp`` (a Unix time after which
a signed URL stops working). Output is never larger than the photo (no upscaling).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace

from albumen.errors import InvalidInput, OverLimit

FORMATS = ("jpeg", "webp", "avif", "png")
MEDIA_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif",
               "png": "image/png"}
FITS = ("inside", "cover", "contain")
GRAVITIES = ("centre", "face", "faces", "smart")
MAX_OPTIONS = 400  # characters of the options segment


@dataclass(frozen=True)
class Options:
    width: int | None = None
    height: int | None = None
    fit: str = "inside"
    gravity: str = "centre"
    dpr: float = 1.0
    quality: int | None = None
    strip: bool = True
    blur: float = 0.0
    rotate: int = 0
    background: str | None = None
    expires: int | None = None

    def canonical(self) -> str:
        """The options as signed and cached: fixed order, defaults left out ("-": none)."""
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value == f.default:
                continue
            key = _KEYS[f.name]
            if isinstance(value, bool):
                value = int(value)
            elif isinstance(value, float):
                value = f"{value:g}"
            parts.append(f"{key}:{value}")
        return ",".join(parts) or "-"

    def box(self) -> tuple[int | None, int | None]:
        """The output's bounds in pixels (``dpr`` applied)."""
        scale = self.dpr
        return (None if self.width is None else max(1, round(self.width * scale)),
                None if self.height is None else max(1, round(self.height * scale)))

    def unexpiring(self) -> Options:
        """The transform alone (the expiry is the URL's, not the rendition's)."""
        return replace(self, expires=None)


_KEYS = {"width": "w", "height": "h", "fit": "fit", "gravity": "g", "dpr": "dpr",
         "quality": "q", "strip": "strip", "blur": "blur", "rotate": "rot",
         "background": "bg", "expires": "exp"}
_NAMES = {v: k for k, v in _KEYS.items()}
_COLOUR = re.compile(r"^[0-9a-f]{6}$")


def _number(key: str, text: str, low: float, high: float, whole: bool = True) -> float:
    try:
        value = int(text) if whole else float(text)
    except ValueError as exc:
        raise InvalidInput(f"image option {key}: {text!r} is not a number") from exc
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidInput(f"image option {key} must be between {low:g} and {high:g}")
    return value


def parse(text: str) -> Options:
    """The options of a URL segment (``-`` or empty: none); InvalidInput names what is
    wrong."""
    if len(text) > MAX_OPTIONS:
        raise InvalidInput(f"image options are longer than {MAX_OPTIONS} characters")
    values: dict[str, object] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if part == "-":
            continue
        key, sep, raw = part.partition(":")
        if not sep or key not in _NAMES:
            raise InvalidInput(f"unknown image option {part!r}; known: "
                               f"{', '.join(_NAMES)} as key:value")
        name = _NAMES[key]
        if name in values:
            raise InvalidInput(f"image option {key} given twice")
        if name in ("width", "height"):
            values[name] = int(_number(key, raw, 1, 100_000))
        elif name == "fit":
            if raw not in FITS:
                raise InvalidInput(f"image option fit is one of {', '.join(FITS)}")
            values[name] = raw
        elif name == "gravity":
            if raw not in GRAVITIES:
                raise InvalidInput(f"image option g is one of {', '.join(GRAVITIES)}")
            values[name] = raw
        elif name == "dpr":
            values[name] = _number(key, raw, 1, 4, whole=False)
        elif name == "quality":
            values[name] = int(_number(key, raw, 1, 100))
        elif name == "strip":
            if raw not in ("0", "1"):
                raise InvalidInput("image option strip is 0 or 1")
            values[name] = raw == "1"
        elif name == "blur":
            values[name] = _number(key, raw, 0, 100, whole=False)
        elif name == "rotate":
            values[name] = int(_number(key, raw, 0, 270))
            if values[name] not in (0, 90, 180, 270):
                raise InvalidInput("image option rot is 0, 90, 180 or 270")
        elif name == "background":
            if not _COLOUR.match(raw.lower()):
                raise InvalidInput("image option bg is a colour as rrggbb, e.g. ffffff")
            values[name] = raw.lower()
        else:
            values[name] = int(_number(key, raw, 0, 2**62))
    opts = Options(**values)  # type: ignore[arg-type]
    if opts.fit != "inside" and (opts.width is None or opts.height is None):
        raise InvalidInput(f"fit:{opts.fit} needs both w and h")
    return opts


@dataclass(frozen=True)
class Limits:
    max_dimension: int
    max_pixels: int
    formats: tuple[str, ...]


def check(opts: Options, fmt: str, limits: Limits) -> None:
    """OverLimit (400) naming the limit a request is over; InvalidInput for an unknown
    format."""
    if fmt not in FORMATS:
        raise InvalidInput(f"image format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt not in limits.formats:
        raise OverLimit(f"image format {fmt} is not allowed here (ALBUMEN_IMAGE_FORMATS: "
                        f"{', '.join(limits.formats)})")
    width, height = opts.box()
    for side, value in (("width", width), ("height", height)):
        if value is not None and value > limits.max_dimension:
            raise OverLimit(f"{side} {value} px (dpr included) is over the limit of "
                            f"{limits.max_dimension} px (ALBUMEN_IMAGE_MAX_DIMENSION)")
    if width is not None and height is not None and width * height > limits.max_pixels:
        raise OverLimit(f"{width}x{height} is over the limit of {limits.max_pixels:,} pixels "
                        "(ALBUMEN_IMAGE_MAX_PIXELS)")


def best_format(accept: str | None, allowed: tuple[str, ...]) -> str:
    """``auto``: AVIF, then WebP where the client's Accept header takes them, else JPEG."""
    accept = (accept or "").lower()
    for fmt in ("avif", "webp"):
        if fmt in allowed and f"image/{fmt}" in accept:
            return fmt
    return "jpeg" if "jpeg" in allowed else allowed[0]
