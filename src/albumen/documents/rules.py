"""Rule-based categories, with Paperless-ngx's matching algorithms:

- ``any``: any of the pattern's words (a "quoted phrase" counts as one word) appears as a word;
- ``all``: every one of them does;
- ``literal``: the pattern appears as written, as whole words;
- ``regex``: the pattern (Python syntax) is found;
- ``fuzzy``: the pattern nearly appears: rapidfuzz's ``partial_ratio`` ≥ ``FUZZY_SCORE`` (90, as
  Paperless) after dropping punctuation: "Northwind Catering" still matches an OCR'd
  "N0rthwind Catering" (94), not "N0rthwind Caterlng" (89) nor "lnvoice" for "invoice" (86).
  rapidfuzz, not difflib: difflib has no best-substring ratio, and a sliding window of
  SequenceMatcher costs ~1000x more (54 ms against 0.04 ms over 5,000 characters).

Case is ignored unless ``case_sensitive``. Patterns are compiled when a ``Rule`` is made: a bad
regex is a ``ValueError`` that names it. Regexes run on the ``regex`` module with a time limit
(``REGEX_SECONDS``) rather than on ``re`` over a cut text: a pattern like ``^(a|aa)+$`` backtracks
exponentially on a few dozen characters, so no cut of the text makes ``re`` safe, whereas a
limit bounds every search. A search that runs out of time counts as no match and is logged.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import regex

log = logging.getLogger(__name__)

Algorithm = Literal["any", "all", "literal", "regex", "fuzzy"]
ALGORITHMS: tuple[str, ...] = ("any", "all", "literal", "regex", "fuzzy")
REGEX_SECONDS = 0.5
FUZZY_SCORE = 90
FUZZY_TEXT_LIMIT = 200_000  # characters compared by a fuzzy rule (~0.1 s on one core)
_WORDS = regex.compile(r'"([^"]+)"|(\S+)')
_PUNCTUATION = regex.compile(r"[^\w\s]")


@dataclass(frozen=True)
class Rule:
    """Documents whose text matches ``pattern`` by ``algorithm`` are in ``category``."""

    category: str
    algorithm: Algorithm
    pattern: str
    case_sensitive: bool = False

    def __post_init__(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"unknown matching algorithm {self.algorithm!r} for "
                             f"{self.category!r}: one of {', '.join(ALGORITHMS)}")
        if not self.pattern.strip():
            raise ValueError(f"the rule for {self.category!r} has an empty pattern")
        if self.algorithm != "fuzzy":
            _compiled(self.algorithm, self.pattern, self.case_sensitive)

    def matches(self, text: str) -> bool:
        """Whether ``text`` matches this rule."""
        if self.algorithm == "fuzzy":
            return _fuzzy(self.pattern, text, self.case_sensitive)
        patterns = _compiled(self.algorithm, self.pattern, self.case_sensitive)
        try:
            found = [p.search(text, timeout=REGEX_SECONDS) is not None for p in patterns]
        except TimeoutError:
            log.warning("the %s rule %r for %r ran out of time (%.1f s) on a text of %d "
                        "characters: counted as no match", self.algorithm, self.pattern,
                        self.category, REGEX_SECONDS, len(text))
            return False
        return all(found) if self.algorithm == "all" else any(found)


def words(pattern: str) -> list[str]:
    """The words of an any/all pattern: "quoted phrases" are one word."""
    return [" ".join((quoted or word).split()) for quoted, word in _WORDS.findall(pattern)
            if (quoted or word).strip()]


def _as_words(text: str) -> str:
    """A regex finding ``text`` as whole words, with any run of spaces between its words."""
    body = r"\s+".join(regex.escape(w) for w in text.split())
    return rf"(?<!\w){body}(?!\w)"


@functools.lru_cache(maxsize=1024)
def _compiled(algorithm: str, pattern: str, case_sensitive: bool) -> tuple[Any, ...]:
    flags = regex.V0 | (0 if case_sensitive else regex.IGNORECASE)
    if algorithm == "regex":
        sources = [pattern]
    elif algorithm == "literal":
        sources = [_as_words(pattern)]
    else:
        sources = [_as_words(w) for w in words(pattern)]
    try:
        return tuple(regex.compile(s, flags) for s in sources)
    except (regex.error, OverflowError, RecursionError) as e:
        raise ValueError(f"invalid regular expression {pattern!r}: {e}") from e


def _fuzzy(pattern: str, text: str, case_sensitive: bool) -> bool:
    from rapidfuzz import fuzz

    wanted = " ".join(_PUNCTUATION.sub("", pattern).split())
    text = " ".join(_PUNCTUATION.sub("", text[:FUZZY_TEXT_LIMIT]).split())
    if not wanted or not text:
        return False
    if not case_sensitive:
        wanted, text = wanted.lower(), text.lower()
    return fuzz.partial_ratio(wanted, text, score_cutoff=FUZZY_SCORE) > 0


def match(rules: Iterable[Rule], text: str) -> list[str]:
    """The categories of the rules ``text`` matches, in rule order, each once."""
    out: list[str] = []
    for rule in rules:
        if rule.category not in out and rule.matches(text):
            out.append(rule.category)
    return out
