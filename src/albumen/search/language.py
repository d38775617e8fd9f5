"""The search box's query language, parsed into a SearchQuery.

    beach sunset person:"Anna" after:2023-06 camera:iphone place:Lisbon -tag:screenshot

Words and "quoted phrases" are full text; ``-word`` excludes. ``key:value`` filters (a value
may be quoted); ``-tag:x`` excludes a tag. Errors name the offending token and its position.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from albumen.db.models import TIERS
from albumen.errors import InvalidInput
from albumen.search.query import SORTS, Near, SearchQuery

_TOKEN = re.compile(r'\s*(-?)(?:([A-Za-z_]+):)?("(?:[^"\\]|\\.)*"?|[^\s"]*)')
KEYS = {
    "person": "person", "people": "person", "after": "after", "before": "before",
    "from": "after", "to": "before", "date": "date", "on": "date", "year": "date",
    "camera": "camera", "lens": "lens", "place": "place", "in": "place", "near": "near",
    "tag": "tag", "has": "has", "is": "is", "type": "type", "rating": "rating",
    "tier": "tier",
    "event": "event", "album": "album", "owner": "owner", "state": "state",
    "similar": "similar", "smart": "smart", "about": "about", "category": "category",
    "face": "face", "sort": "sort", "mode": "mode",
}
# Filters whose value is an id, and the query field each sets.
ID_KEYS = {"event": "event_id", "album": "album_id", "similar": "similar_to", "face": "face_like"}
FILTERS = ("person:", "after:", "before:", "date:", "camera:", "lens:", "place:",
           "near:LAT,LON,KM", "tag:", "has:text|gps|faces",
           "is:favorite|photo|video|document|trashed", "rating:N",
           "tier:bronze|silver|gold", "event:ID", "album:ID",
           "owner:NAME", "category:NAME", "state:processing|ready|failed", "similar:ASSET_ID",
           "face:FACE_ID", 'smart:"text"', 'about:"text"', "sort:date|oldest|relevance",
           "mode:any (people)")
HELP = ", ".join(FILTERS)


def help_text(content_search: bool) -> str:
    """The filters to offer: smart: only where a CLIP model can answer it."""
    return ", ".join(f for f in FILTERS if content_search or not f.startswith("smart:"))


class QuerySyntaxError(InvalidInput):
    def __init__(self, message: str, token: str, position: int) -> None:
        super().__init__(f"{message} (at position {position}: {token!r})",
                         details={"token": token, "position": position})


@dataclass
class Token:
    negated: bool
    key: str | None
    value: str
    raw: str
    position: int


def tokenize(source: str) -> list[Token]:
    tokens = []
    position = 0
    while position < len(source):
        if source[position:].strip() == "":
            break
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:  # pragma: no cover - the pattern eats all
            raise QuerySyntaxError("cannot read the query here", source[position:], position)
        start = match.start(3) if match.group(2) is None else match.start(2)
        start -= len(match.group(1))
        raw = source[start:match.end()]
        value = match.group(3)
        if value.startswith('"'):
            if len(value) < 2 or not value.endswith('"') or value.endswith('\\"'):
                raise QuerySyntaxError("unclosed quote", raw, start)
            value = value[1:-1].replace('\\"', '"')
        tokens.append(Token(bool(match.group(1)), match.group(2), value, raw, start))
        position = match.end()
    return tokens


def _date_range(value: str, token: Token) -> tuple[date, date]:
    """2023 -> the year; 2023-06 -> the month; 2023-06-14 -> the day."""
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
        if len(parts) == 3:
            day = date(*parts)
            return day, day
    except ValueError:
        pass
    raise QuerySyntaxError("a date is YYYY, YYYY-MM or YYYY-MM-DD", token.raw, token.position)


def _int(value: str, token: Token, low: int = 1, high: int | None = None) -> int:
    if not value.isdigit() or int(value) < low or (high is not None and int(value) > high):
        bound = f"{low}..{high}" if high is not None else f"at least {low}"
        raise QuerySyntaxError(f"expected a whole number ({bound})", token.raw, token.position)
    return int(value)


def _near(value: str, token: Token) -> Near:
    try:
        lat, lon, *rest = (float(p.removesuffix("km")) for p in value.split(","))
        km = rest[0] if rest else 10.0
        if len(rest) > 1 or not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= 20000):
            raise ValueError
    except ValueError:
        raise QuerySyntaxError("near: takes LAT,LON or LAT,LON,KM (e.g. near:38.72,-9.14,5km)",
                               token.raw, token.position) from None
    return Near(latitude=lat, longitude=lon, km=km)


def parse(source: str, base: SearchQuery | None = None) -> SearchQuery:
    """The query for ``source``; filters in ``base`` (viewer, event...) are kept."""
    query = base or SearchQuery()
    for token in tokenize(source):
        if token.key is None:
            if token.value:
                (query.not_text if token.negated else query.text).append(token.value)
            continue
        key = KEYS.get(token.key.lower())
        if key is None:
            raise QuerySyntaxError(f"unknown filter {token.key!r}; known: {HELP}",
                                   token.raw, token.position)
        if not token.value:
            raise QuerySyntaxError(f"{token.key}: needs a value", token.raw, token.position)
        if token.negated and key != "tag":
            raise QuerySyntaxError(f"only tag: can be excluded with '-', not {token.key}:",
                                   token.raw, token.position)
        _apply(query, key, token)
    return query


def _apply(query: SearchQuery, key: str, token: Token) -> None:
    value, lower = token.value, token.value.lower()

    def bad(message: str) -> QuerySyntaxError:
        return QuerySyntaxError(message, token.raw, token.position)

    if key == "person":
        for name in value.split(","):
            if name.strip().isdigit():
                query.people.append(int(name))
            elif name.strip():
                query.people_names.append(name.strip())
    elif key == "after":
        query.date_from = _date_range(value, token)[0]
    elif key == "before":
        query.date_to = _date_range(value, token)[1]
    elif key == "date":
        query.date_from, query.date_to = _date_range(value, token)
    elif key == "camera":
        query.cameras.append(value)
    elif key == "lens":
        query.lens = value
    elif key == "place":
        query.place = value
    elif key == "near":
        query.near = _near(value, token)
    elif key == "tag":
        (query.not_tags if token.negated else query.tags).append(lower)
    elif key == "has":
        flag = {"text": "has_text", "gps": "has_gps", "location": "has_gps",
                "faces": "has_faces", "people": "has_faces"}.get(lower)
        if flag is None:
            raise bad("has: takes text, gps or faces")
        setattr(query, flag, True)
    elif key == "is":
        if lower in ("favorite", "favourite", "fav"):
            query.favorite = True
        elif lower in ("photo", "image", "video", "document"):
            query.media_type = {"photo": "image"}.get(lower, lower)
        elif lower in ("trashed", "deleted"):
            query.trashed = True
        else:
            raise bad("is: takes favorite, photo, video or trashed")
    elif key == "type":
        if lower not in ("photo", "image", "video", "document"):
            raise bad("type: takes photo, video or document")
        query.media_type = {"photo": "image"}.get(lower, lower)
    elif key == "rating":
        query.rating_min = _int(value.removeprefix(">="), token, 0, 5)
    elif key == "tier":
        tiers = [t.strip() for t in lower.split(",") if t.strip()]
        if not tiers or any(t not in TIERS for t in tiers):
            raise bad("tier: takes bronze, silver or gold (or several, with commas)")
        query.tiers = tiers
    elif key in ID_KEYS:
        setattr(query, ID_KEYS[key], _int(value, token))
    elif key == "owner":
        query.owner = value
    elif key == "state":
        if lower not in ("processing", "ready", "failed"):
            raise bad("state: takes processing, ready or failed")
        query.state = lower
    elif key == "smart":
        query.semantic = value
    elif key == "about":
        query.about = value
    elif key == "category":
        query.category = lower
    elif key == "sort":
        if lower not in SORTS:
            raise bad(f"sort: takes {', '.join(SORTS)}")
        query.sort = lower
    elif key == "mode":
        if lower not in ("all", "any"):
            raise bad("mode: takes all or any")
        query.people_mode = lower
