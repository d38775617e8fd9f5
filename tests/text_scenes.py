"""Photo-like scenes for OCR, with the text in them known: signs, banners, boards and documents
(rendered with the DejaVu and STIX fonts matplotlib ships, at angles and sizes), and scenes
without any text: real portraits where `make test-data` fetched them, the sample photos
scikit-learn and matplotlib ship, and textures that provoke false readings (foliage, bricks,
grass, fences, fabric, gravel, wood). Used by tests/test_ocr.py and bench/ocr_precision.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT_FILES = ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "DejaVuSerif.ttf",
              "DejaVuSerif-Bold.ttf", "DejaVuSansMono-Bold.ttf", "STIXGeneral.ttf",
              "DejaVuSans-Oblique.ttf", "STIXGeneralBol.ttf")
SITE = Path(matplotlib.__file__).parent.parent
REAL_PHOTOS = {  # photos without legible text that installed packages ship
    "flower": SITE / "sklearn" / "datasets" / "images" / "flower.jpg",
    "temple": SITE / "sklearn" / "datasets" / "images" / "china.jpg",
    # Grace Hopper's portrait, above the name badge on her uniform (which is text).
    "hopper": SITE / "matplotlib" / "mpl-data" / "sample_data" / "grace_hopper.jpg",
}
FACES = Path(__file__).parent.parent / ".venv" / "test-data" / "faces"

SIGNS = ["HAPPY BIRTHDAY ANNA", "Welcome to Lisbon", "EXIT 12", "Cafe Central",
         "Congratulations 2026", "Platform 4", "Just Married", "Rua Augusta", "STOP",
         "Bäckerei Müller", "Gate B22", "Class of 2025", "No Parking", "Hotel Marina",
         "Table 7", "OPEN", "Museum of Modern Art", "Sarah & Tom", "Merry Christmas",
         "Coffee 2.50", "Boulangerie", "Kings Cross", "Farmacia", "Welcome Home"]
POSTERS = ["Lost cat", "Room 214", "Exhibition 2024", "Bus 28", "Reserved", "Welcome",
           "Lisboa", "Free Wifi", "Sale 50%", "Ticket office", "Fire exit", "Chef Maria"]
DOCUMENTS = [
    ["You are invited", "to the wedding of", "Maria and Joao", "Saturday 14 June 2025",
     "Quinta da Regaleira, Sintra"],
    ["MENU", "Soup of the day 4.50", "Grilled sardines 12.00", "Pasteis de nata 1.80",
     "Coffee 1.20"],
    ["Conference Programme", "09:00 Registration", "10:00 Opening keynote",
     "12:30 Lunch in the garden", "14:00 Workshops"],
]


@dataclass
class Scene:
    name: str
    image: Image.Image
    lines: list[str] = field(default_factory=list)  # the text in it (none: no text)


def font(index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / FONT_FILES[index % len(FONT_FILES)]), size)


def _smooth_noise(rng: np.random.Generator, w: int, h: int, scale: int) -> np.ndarray:
    small = rng.random((max(2, h // scale), max(2, w // scale))).astype(np.float32)
    return np.asarray(Image.fromarray((small * 255).astype(np.uint8)).resize(
        (w, h), Image.Resampling.BICUBIC), dtype=np.float32) / 255


def background(rng: np.random.Generator, w: int, h: int) -> Image.Image:
    """A soft photo-like backdrop: colour blobs at two scales with sensor noise."""
    base = rng.uniform(40, 200, 3)
    layers = [(_smooth_noise(rng, w, h, 60) - 0.5) * rng.uniform(60, 140, 3)[:, None, None]
              for _ in range(1)]
    img = base[:, None, None] + layers[0] + (_smooth_noise(rng, w, h, 12) - 0.5) * 30
    img = np.moveaxis(img, 0, -1) + rng.normal(0, 4, (h, w, 3))
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


def _finish(im: Image.Image, rng: np.random.Generator, angle: float = 0.0) -> Image.Image:
    if angle:
        im = im.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False,
                       fillcolor=tuple(int(v) for v in rng.integers(60, 160, 3)))
    return im.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.4, 1.0))))


def sign(text: str, seed: int, size: int, angle: float, w: int = 1600, h: int = 1080,
         hard: bool = False) -> Scene:
    """A board with one line of text on a photo-like background; ``hard``: faded ink, out of
    focus and grainy, as a sign across a street is in a phone photo."""
    rng = np.random.default_rng(seed)
    im = background(rng, w, h)
    f = font(seed, size)
    left, top, right, bottom = f.getbbox(text)
    tw, th = right - left, bottom - top
    x = int(rng.uniform(0.05, 0.95) * max(1, w - tw - size)) + size // 2
    y = int(rng.uniform(0.1, 0.9) * max(1, h - th - size)) + size // 2
    board = tuple(int(v) for v in rng.integers(170, 256, 3))
    ink = tuple(int(v) for v in rng.integers(0, 70, 3))
    if hard:
        ink = tuple(int(b * 0.55) for b in board)
    if seed % 3 == 0:  # light text on a dark board
        board, ink = tuple(255 - v for v in board), tuple(255 - v for v in ink)
    draw = ImageDraw.Draw(im)
    pad = size // 2
    draw.rounded_rectangle((x - pad, y - pad, x + tw + pad, y + th + pad), radius=pad // 2,
                           fill=board)
    draw.text((x - left, y - top), text, fill=ink, font=f)
    im = _finish(im, rng, angle)
    if hard:
        im = im.filter(ImageFilter.GaussianBlur(size / 22))
        grain = np.asarray(im, dtype=np.float32) + rng.normal(0, 10, (h, w, 3))
        im = Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8))
    return Scene(f"sign-{seed}{'-hard' if hard else ''}", im, [text])


def document(lines: list[str], seed: int, angle: float) -> Scene:
    """A printed page on a wooden table, photographed at a slant."""
    rng = np.random.default_rng(seed)
    w, h = 1440, 1800
    grain = _smooth_noise(rng, w // 8, h, 3)
    grain = np.asarray(Image.fromarray((grain * 255).astype(np.uint8)).resize((w, h)),
                       dtype=np.float32) / 255
    wood = np.stack([120 + 60 * grain, 80 + 40 * grain, 40 + 25 * grain], axis=-1)
    im = Image.fromarray(np.clip(wood + rng.normal(0, 3, (h, w, 3)), 0, 255).astype(np.uint8))
    page = Image.new("RGB", (1000, 1300), (246, 244, 236))
    draw = ImageDraw.Draw(page)
    y = 120
    for i, line in enumerate(lines):
        f = font(seed + (0 if i else 3), 64 if i == 0 else 44)
        draw.text((90, y), line, fill=(25, 25, 30), font=f)
        y += 120 if i == 0 else 90
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True,
                       fillcolor=(0, 0, 0))
    mask = Image.new("L", (1000, 1300), 255).rotate(angle, expand=True)
    im.paste(page, ((w - page.width) // 2, (h - page.height) // 2), mask)
    return Scene(f"document-{seed}", _finish(im, rng), list(lines))


def banner(text: str, seed: int, w: int = 1800, h: int = 1200) -> Scene:
    """A cloth banner across a party room: large letters on a colour band, with folds."""
    rng = np.random.default_rng(seed)
    im = background(rng, w, h)
    band = Image.new("RGB", (w - 200, 300), tuple(int(v) for v in rng.integers(150, 255, 3)))
    f = font(seed, 150)
    draw = ImageDraw.Draw(band)
    left, top, right, bottom = f.getbbox(text)
    draw.text(((band.width - right + left) // 2 - left, (300 - bottom + top) // 2 - top), text,
              fill=tuple(int(v) for v in rng.integers(0, 90, 3)), font=f)
    folds = 1 - 0.18 * (0.5 + 0.5 * np.sin(np.linspace(0, rng.uniform(8, 14), band.width)))
    band = Image.fromarray((np.asarray(band) * folds[None, :, None]).astype(np.uint8))
    im.paste(band, (100, int(rng.uniform(100, h - 400))))
    return Scene(f"banner-{seed}", _finish(im, rng, float(rng.uniform(-4, 4))), [text])


def poster(text: str, seed: int, photo: Image.Image, size: int) -> Scene:
    """A small sign or label somewhere in a real photo."""
    rng = np.random.default_rng(seed)
    scale = 1200 / min(photo.size)
    im = photo.resize((round(photo.width * scale), round(photo.height * scale)),
                      Image.Resampling.LANCZOS)
    f = font(seed, size)
    left, top, right, bottom = f.getbbox(text)
    pad = size // 3
    card = Image.new("RGB", (right - left + 2 * pad, bottom - top + 2 * pad),
                     tuple(int(v) for v in rng.integers(200, 256, 3)))
    ImageDraw.Draw(card).text((pad - left, pad - top), text, font=f,
                              fill=tuple(int(v) for v in rng.integers(0, 80, 3)))
    card = card.rotate(float(rng.uniform(-8, 8)), expand=True, fillcolor=(0, 0, 0),
                       resample=Image.Resampling.BICUBIC)
    mask = Image.fromarray(np.where(np.asarray(card).sum(-1) > 0, 255, 0).astype(np.uint8))
    x = int(rng.uniform(0.05, 0.95) * max(1, im.width - card.width))
    y = int(rng.uniform(0.05, 0.95) * max(1, im.height - card.height))
    im.paste(card, (x, y), mask)
    return Scene(f"poster-{seed}", _finish(im, rng), [text])


# -- without text ------------------------------------------------------------------------------

def foliage(seed: int, w: int = 1600, h: int = 1200) -> Image.Image:
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (w, h), (30, 60, 25))
    draw = ImageDraw.Draw(im)
    for _ in range(2500):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        rx, ry = rng.uniform(8, 40), rng.uniform(4, 16)
        g = int(rng.uniform(70, 200))
        draw.ellipse((x - rx, y - ry, x + rx, y + ry),
                     fill=(int(g * rng.uniform(0.3, 0.7)), g, int(g * rng.uniform(0.1, 0.5))))
    return im.filter(ImageFilter.GaussianBlur(1.2))


def bricks(seed: int, w: int = 1600, h: int = 1200) -> Image.Image:
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (w, h), (190, 185, 175))
    draw = ImageDraw.Draw(im)
    bw, bh = int(rng.uniform(90, 160)), int(rng.uniform(35, 60))
    for row, y in enumerate(range(0, h, bh)):
        for x in range(-(row % 2) * bw // 2, w, bw):
            red = rng.uniform(120, 190)
            draw.rectangle((x + 3, y + 3, x + bw - 3, y + bh - 3),
                           fill=(int(red), int(red * 0.45), int(red * 0.35)))
    noisy = np.asarray(im, dtype=np.float32) + rng.normal(0, 12, (h, w, 3))
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(0.8))


def grass(seed: int, w: int = 1600, h: int = 1200) -> Image.Image:
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (w, h), (60, 90, 30))
    draw = ImageDraw.Draw(im)
    for _ in range(9000):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        length, lean = rng.uniform(20, 70), rng.uniform(-12, 12)
        g = int(rng.uniform(90, 220))
        draw.line((x, y, x + lean, y - length), fill=(g // 2, g, g // 4), width=2)
    return im.filter(ImageFilter.GaussianBlur(0.7))


def fence(seed: int, w: int = 1600, h: int = 1200) -> Image.Image:
    rng = np.random.default_rng(seed)
    im = background(rng, w, h)
    draw = ImageDraw.Draw(im)
    step, bar = int(rng.uniform(25, 60)), int(rng.uniform(6, 14))
    top = int(rng.uniform(200, 500))
    for x in range(0, w, step):
        draw.rectangle((x, top, x + bar, h), fill=(35, 35, 40))
    draw.rectangle((0, top + 40, w, top + 52), fill=(35, 35, 40))
    return im.filter(ImageFilter.GaussianBlur(1.0))


def fabric(seed: int, w: int = 1600, h: int = 1200) -> Image.Image:
    """Plaid: crossing stripes of a few colours, with a weave."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    period = rng.uniform(40, 120)
    a = (np.sin(xx / period * 2 * np.pi) > 0.3).astype(np.float32)
    b = (np.sin(yy / (period * 0.8) * 2 * np.pi) > 0.1).astype(np.float32)
    weave = ((xx + yy) % 4 < 2).astype(np.float32) * 0.1
    c1, c2 = rng.uniform(40, 220, 3), rng.uniform(40, 220, 3)
    img = c1 * (a[..., None] * 0.5 + b[..., None] * 0.5) + c2 * (1 - a[..., None]) * 0.6
    img = img * (0.9 + weave[..., None])
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(1.0))


def gravel(seed: int, w: int = 1600, h: int = 1200) -> Image.Image:
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (w, h), (120, 110, 100))
    draw = ImageDraw.Draw(im)
    for _ in range(6000):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(3, 14)
        v = int(rng.uniform(60, 220))
        draw.ellipse((x - r, y - r * rng.uniform(0.5, 1), x + r, y + r),
                     fill=(v, int(v * 0.95), int(v * 0.88)))
    return im.filter(ImageFilter.GaussianBlur(0.6))


def wood(seed: int, w: int = 1600, h: int = 1200) -> Image.Image:
    rng = np.random.default_rng(seed)
    yy = np.mgrid[0:h, 0:w][0].astype(np.float32)
    warp = _smooth_noise(rng, w, h, 200) * 40
    rings = 0.5 + 0.5 * np.sin((yy + warp) / rng.uniform(6, 14))
    img = np.stack([130 + 60 * rings, 85 + 40 * rings, 45 + 25 * rings], axis=-1)
    return Image.fromarray(np.clip(img + rng.normal(0, 4, (h, w, 3)), 0, 255).astype(np.uint8))


TEXTURES = {"foliage": foliage, "bricks": bricks, "grass": grass, "fence": fence,
            "fabric": fabric, "gravel": gravel, "wood": wood}


def _real(path: Path, name: str) -> Image.Image:
    with Image.open(path) as im:
        photo = im.convert("RGB")
    if name == "hopper":  # above the name badge on her uniform (which is text)
        photo = photo.crop((0, 0, photo.width, int(photo.height * 0.62)))
    return photo


def real_sources() -> dict[str, Image.Image]:
    """The real photos without legible text that are here: the portraits of `make test-data`
    (when fetched) and the sample photos scikit-learn and matplotlib ship."""
    paths = {p.stem: p for p in sorted(FACES.glob("*.jpg")) + sorted(FACES.glob("*.png"))}
    paths.update({k: v for k, v in REAL_PHOTOS.items() if v.exists()})
    return {name: _real(path, name) for name, path in paths.items()}


CROPS = ((0.0, 0.0, 1.0), (0.0, 0.0, 0.6), (0.4, 0.4, 0.6), (0.4, 0.0, 0.6),
         (0.3, 0.3, 0.4), (0.0, 0.5, 0.5))  # left, top (fractions of the rest), size


def real_photos(variant: int = 0) -> Iterator[Scene]:
    """Each real photo whole and in crops, scaled to a camera photo's preview (short side 1440
    or 1000): soft upscaled detail is where the reader sees text that is not there. Another
    ``variant`` takes other crops at other scales."""
    rng = np.random.default_rng(variant)
    for name, photo in real_sources().items():
        for i, (fx, fy, size) in enumerate(CROPS):
            short_side = (1440, 1000)[(i + variant) % 2]
            if variant:
                fx, fy = rng.uniform(0, 1, 2)
                size = float(rng.uniform(0.35, 0.9)) if i else 1.0
                short_side = int(rng.uniform(900, 1440))
            w, h = int(photo.width * size), int(photo.height * size)
            if min(w, h) < 80:
                continue
            x, y = int((photo.width - w) * fx), int((photo.height - h) * fy)
            crop = photo.crop((x, y, x + w, y + h))
            scale = short_side / min(w, h)
            yield Scene(f"photo-{name}-{i}", crop.resize(
                (round(w * scale), round(h * scale)), Image.Resampling.LANCZOS))


def with_text(variant: int = 0) -> list[Scene]:
    """The scenes with text; another ``variant`` draws them anew (other backgrounds, places,
    fonts, sizes and angles)."""
    v = 1000 * variant
    scenes = []
    for i, text in enumerate(SIGNS):
        size = (40, 64, 90, 130, 28)[(i + variant) % 5]
        angle = (0.0, 6.0, -9.0, 14.0, -3.0, 20.0)[(i + variant) % 6]
        scenes.append(sign(text, v + i, size, angle))
    for i, text in enumerate(SIGNS[variant % 2::2]):
        scenes.append(sign(text, v + 50 + i, (22, 30, 40)[i % 3], (0.0, 5.0, -8.0)[i % 3],
                           hard=True))
    for i, lines in enumerate(DOCUMENTS):
        scenes.append(document(lines, v + 100 + i, (4.0, -7.0, 11.0)[(i + variant) % 3]))
    for i, text in enumerate(("HAPPY BIRTHDAY", "Welcome Baby Leo", "FELIZ NATAL")):
        scenes.append(banner(text, v + 200 + i))
    photos = list(real_sources().values())
    for i, text in enumerate(POSTERS):
        scenes.append(poster(text, v + 300 + i, photos[(i + variant) % len(photos)],
                             (24, 32, 44, 60)[(i + variant) % 4]))
    return scenes


def without_text(variant: int = 0) -> list[Scene]:
    scenes = list(real_photos(variant))
    for name, make in TEXTURES.items():  # the reader is good at these: one of each
        scenes.append(Scene(name, make(300 + variant, 1440, 1080)))
    return scenes
