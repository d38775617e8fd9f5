"""The structured query every search entry point builds: the API (JSON or query string), the
query language of the search box and CLI, and saved searches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from albumen.library.assets import AssetFilter

SORTS = ("date", "oldest", "relevance")
FACETS = ("people", "places", "years", "cameras", "types", "categories")


@dataclass(kw_only=True)
class Near:
    latitude: float
    longitude: float
    km: float


@dataclass(kw_only=True)
class SearchQuery(AssetFilter):
    """Every condition must hold; lists of people combine with ``people_mode`` (all/any)."""

    # Full text: each term is a word (prefix match) or a phrase; ``not_text`` excludes.
    text: list[str] = field(default_factory=list)
    not_text: list[str] = field(default_factory=list)
    # Calendar days in the photo's own local time (inclusive).
    date_from: date | None = None
    date_to: date | None = None
    cameras: list[str] = field(default_factory=list)
    lens: str | None = None
    rating_min: int | None = None
    tiers: list[str] = field(default_factory=list)  # curation tiers, any of them
    favorite: bool | None = None
    people: list[int] = field(default_factory=list)
    people_names: list[str] = field(default_factory=list)
    people_mode: str = "all"
    place: str | None = None  # city, region, country name or ISO country code
    near: Near | None = None
    tags: list[str] = field(default_factory=list)
    not_tags: list[str] = field(default_factory=list)
    has_text: bool | None = None
    category: str | None = None  # documents in this category (as a fact, not a suggestion)
    has_faces: bool | None = None
    owner: str | None = None  # a username; combined with what the caller may see anyway
    owner_id: int | None = None  # the same by id (the library timeline: the viewer's own)
    # Semantic: a text for CLIP, or an asset whose look to match ("more like this").
    semantic: str | None = None
    # What the text is about (about:), ranked by the meaning of the passages of text.
    about: str | None = None
    similar_to: int | None = None
    # Rank similar_to by CLIP or not at all (the CLIP endpoints: 409 without the model),
    # never by appearance (search.similar). Not in the language.
    clip_only: bool = False
    # An embedding already at hand (a caller with its own CLIP vector); not in the language.
    vector: Any = None
    # A face embedding (e.g. from a selfie): photos with a face closer than face_distance,
    # closest first. Not in the language.
    face_vector: Any = None
    face_distance: float = 0.6
    face_like: int | None = None  # a face id: photos with a face like that one
    sort: str | None = None  # default: relevance when ranked by meaning, else date

    @property
    def ranked_by_meaning(self) -> bool:
        return (bool(self.semantic) or bool(self.about) or self.similar_to is not None
                or self.vector is not None)

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.ranked_by_meaning else "date"
