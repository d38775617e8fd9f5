"""What counts as text found in a photo.

The reader (PP-OCR) returns a line for anything that looks like writing: the stars of a flag
read as ``***``, a railing as ``199230``, an ear as one CJK character at 0.76 (its dictionary
is 85% CJK, so a shape it cannot place often lands on a Chinese glyph). Each line is judged
here on what it says, how sure the reader was, how large it is and what else the photo holds;
only the lines kept count as the photo's text (``has:text``, search, the viewer). The reader's
raw lines are stored with the reason each dropped one was dropped, so a new filter can be run
again over them (migration 0017 did, for the rules below).

The rules, in order (the first that applies gives the reason):

- *symbols*: no letter or digit (``***``, ``★★★``), or more symbols than letters and digits;
- *repeated*: one character three or more times in a row making up half the line
  (``AAAAAA``, ``品品品药``), or a number of one digit repeated (``1111``);
- *mixed scripts*: a word that interleaves scripts (``AB西K``) or joins Latin to Cyrillic or
  Greek (look-alikes); Latin before or after CJK is written (``T恤``, ``iPhone手机``);
- *too small*: glyphs under 8 px or 1% of the image's short side, which the reader misreads;
- *too large*: one or two characters taller than 40% of the short side (a face read as ``O``);
- *not a word*: Latin words of four letters or more, none of them pronounceable (no vowel, six
  consonants in a row, ``lIlI``); all-capital abbreviations up to five letters are words;
- *unsure*: the reader's confidence under what the line's length needs. A lone character
  needs 0.96, a word of five letters 0.82, a line of ten 0.65: the shorter the reading, the
  likelier chance made it (digits count half a letter: bars and rings read as 1, 0 and 9).
  A short line beside a confident line of the same size, a word space away on its line or
  right above or below it (the "No" of "No Parking"), needs only what a five-letter word does;
- *lone glyph*: one or two letters of a script other than Latin and than the rest of the
  photo's text (a single CJK character among Latin lines; "WC" among Chinese ones is kept).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

MIN_GLYPH_PX = 8.0
MIN_GLYPH_SHARE = 0.01  # of the image's short side
MAX_SHORT_GLYPH_SHARE = 0.4  # lines of at most two characters
# (weight below, confidence needed); weight: letters + digits / 2
CONFIDENCE_BY_WEIGHT = ((1.5, 0.96), (2.5, 0.92), (3.5, 0.88), (5.5, 0.82), (9.5, 0.75))
LONG_LINE_CONFIDENCE = 0.65
SUPPORTED_CONFIDENCE = 0.82
SUPPORT_HEIGHT_RATIO = 1.4
SUPPORT_MIN_WEIGHT = 4.0
VOWELS = frozenset("aeiouy")
CONFUSABLE = frozenset("lI")
WRITTEN_TOGETHER = frozenset({"Latin", "CJK"})  # may share a word, one after the other
_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK", "HANGUL": "CJK",
             "CJK": "CJK", "LATIN": "Latin", "FULLWIDTH": "Latin"}
# Scripts by the first word of their letters' Unicode names; other letters (the ordinal º,
# the micro sign) belong to none.
_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI", "LAO", "DEVANAGARI",
                      "BENGALI", "GURMUKHI", "GUJARATI", "TAMIL", "TELUGU", "KANNADA",
                      "MALAYALAM", "SINHALA", "GEORGIAN", "ARMENIAN", "ETHIOPIC", "KHMER",
                      "MYANMAR", "TIBETAN", "MONGOLIAN", "COPTIC"})


class Line(Protocol):
    text: str
    confidence: float
    box: list[list[float]]  # four corners, relative to the image (0..1), clockwise


@dataclass
class _Facts:
    weight: float
    letters: list[str]
    scripts: Counter[str]
    frame: _Frame

    @property
    def glyph_px(self) -> float:
        return self.frame.glyph_px


def script(ch: str) -> str | None:
    """The script family of a letter (CJK: Han, kana and Hangul); None for anything else."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first == "FULLWIDTH" and "LATIN" not in name:
        return None
    if first == "HALFWIDTH" and "KATAKANA" not in name and "HANGUL" not in name:
        return None
    if first in _FAMILIES:
        return _FAMILIES[first]
    return first.title() if first in _SCRIPTS else None


@dataclass(frozen=True)
class _Frame:
    """A line's box in pixels: its centre, the unit vector along its baseline, its length
    along that and its glyph height across it."""

    cx: float
    cy: float
    ux: float
    uy: float
    along: float
    across: float

    @property
    def glyph_px(self) -> float:
        return min(self.along, self.across)  # a vertical line's glyphs are its width

    def beside(self, other: _Frame) -> bool:
        """On the same line a word space away, or right above or below: one sign."""
        dx, dy = other.cx - self.cx, other.cy - self.cy
        offset = abs(-self.uy * dx + self.ux * dy)
        gap = abs(self.ux * dx + self.uy * dy) - (self.along + other.along) / 2
        height = self.across
        return ((offset <= 0.5 * height and gap <= 0.6 * height)
                or (offset <= 1.8 * height and gap <= 0))


def _frame(box: Sequence[Sequence[float]], width: int, height: int) -> _Frame:
    """Corners clockwise from the top left, as the reader gives them."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ((x * width, y * height) for x, y in box[:4])

    def dist(ax: float, ay: float, bx: float, by: float) -> float:
        return float(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5)

    along = (dist(x0, y0, x1, y1) + dist(x3, y3, x2, y2)) / 2
    across = (dist(x0, y0, x3, y3) + dist(x1, y1, x2, y2)) / 2
    bx, by = (x1 - x0 + x2 - x3) / 2, (y1 - y0 + y2 - y3) / 2
    norm = (bx * bx + by * by) ** 0.5 or 1.0
    return _Frame((x0 + x1 + x2 + x3) / 4, (y0 + y1 + y2 + y3) / 4, bx / norm, by / norm,
                  along, across)


def _facts(line: Line, width: int, height: int) -> _Facts:
    letters = [c for c in line.text if c.isalpha()]
    digits = sum(c.isdigit() for c in line.text)
    scripts = Counter(s for s in map(script, letters) if s)
    return _Facts(len(letters) + digits / 2, letters, scripts,
                  _frame(line.box, width, height))


def _base_letter(ch: str) -> str:
    return unicodedata.normalize("NFKD", ch)[0].lower()


def _pronounceable(word: str) -> bool:
    if set(word) <= CONFUSABLE:
        return False
    if word.isupper() and len(word) <= 5:  # an abbreviation: HTML, NYPD
        return True
    base = [_base_letter(c) for c in word]
    if not VOWELS.intersection(base):
        return False
    run = longest = 0
    for c in base:
        run = 0 if c in VOWELS else run + 1
        longest = max(longest, run)
    return longest < 6


def _latin_words(text: str) -> list[str]:
    words, current = [], []
    for ch in text:
        if script(ch) == "Latin":
            current.append(ch)
        else:
            if current:
                words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _mixed(token: str) -> bool:
    runs: list[str] = []
    for s in map(script, token):
        if s and (not runs or runs[-1] != s):
            runs.append(s)
    families = set(runs)
    return len(families) > 1 and (len(runs) > 2 or not families <= WRITTEN_TOGETHER)


def _repeated(text: str) -> bool:
    chars = [c for c in text if not c.isspace()]
    digits = [c for c in chars if c.isdigit()]
    if len(digits) >= 3 and len(digits) == len(chars) and len(set(digits)) == 1:
        return True
    run = longest = 0
    previous = ""
    for c in chars:
        run = run + 1 if c == previous and c.isalpha() else 1
        previous = c
        longest = max(longest, run)
    return longest >= 3 and longest * 2 >= len(chars)


def intrinsic(line: Line, facts: _Facts, short_side: int) -> str | None:
    """Why a line is not text on its own merits (its text and size), or None."""
    text = line.text
    visible = [c for c in text if not c.isspace()]
    alnum = sum(c.isalnum() for c in visible)
    if alnum == 0:
        return "symbols only"
    if alnum < len(visible) - alnum:
        return "mostly symbols"
    if _repeated(text):
        return "repeated character"
    if any(_mixed(token) for token in text.split()):
        return "mixed scripts in a word"
    if facts.glyph_px < max(MIN_GLYPH_PX, MIN_GLYPH_SHARE * short_side):
        return f"too small ({facts.glyph_px:.0f} px)"
    if facts.weight <= 2 and facts.glyph_px > MAX_SHORT_GLYPH_SHARE * short_side:
        return "too large for its length"
    long_words = [w for w in _latin_words(text) if len(w) >= 4]
    if long_words and not any(_pronounceable(w) for w in long_words):
        return "not a word"
    return None


def needed_confidence(weight: float) -> float:
    for below, needed in CONFIDENCE_BY_WEIGHT:
        if weight < below:
            return needed
    return LONG_LINE_CONFIDENCE


def judge(lines: Sequence[Line], width: int, height: int) -> list[str | None]:
    """For each line the reader returned on a ``width`` x ``height`` image: why it does not
    count as text, or None where it does."""
    short_side = max(1, min(width, height))
    facts = [_facts(line, width, height) for line in lines]
    reasons = [intrinsic(line, f, short_side) for line, f in zip(lines, facts, strict=True)]
    unsure = []
    for i, (line, f) in enumerate(zip(lines, facts, strict=True)):
        needed = needed_confidence(f.weight)
        if reasons[i] is None and line.confidence < needed:
            reasons[i] = f"unsure ({line.confidence:.3f} < {needed:.2f})"
            unsure.append(i)
    # A short word beside a confident line of its size is part of the same sign.
    anchors = [f.frame for f, r in zip(facts, reasons, strict=True)
               if r is None and f.weight >= SUPPORT_MIN_WEIGHT]
    for i in unsure:
        own = facts[i].frame
        if lines[i].confidence >= SUPPORTED_CONFIDENCE and any(
                1 / SUPPORT_HEIGHT_RATIO <= own.glyph_px / a.glyph_px <= SUPPORT_HEIGHT_RATIO
                and a.beside(own) for a in anchors):
            reasons[i] = None
    # One or two letters of another script than the photo's other text (Latin ones are
    # abbreviations on any sign: WC, P).
    for i, f in enumerate(facts):
        if reasons[i] is not None or len(f.scripts) != 1 or len(f.letters) > 2:
            continue
        (own,) = f.scripts
        if own == "Latin":
            continue
        others: Counter[str] = Counter()
        for j, g in enumerate(facts):
            if j != i and reasons[j] is None:
                others.update(g.scripts)
        if others and own not in others:
            reasons[i] = f"lone {own} glyph among {others.most_common(1)[0][0]} text"
    return reasons
