"""What is known about an asset beyond its own row, gathered for a page of assets at once:
the place's names, the people in it, the text found in it (the lines the OCR filter kept, in
reading order) and, for one asset, its near-duplicates. The API's JSON, `albumen assets
show/list --json` and the photo viewer read the same facts from here, so they cannot drift
apart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from albumen.db.documents import Document, DocumentPage
from albumen.db.faces import Face, Person
from albumen.db.models import (
    Asset,
    AssetSource,
    AssetStage,
    AssetTag,
    AssetText,
    Derivative,
    Place,
    Video,
)
from albumen.library import live_photos


@dataclass
class AssetFacts:
    # How its bytes arrived and how far processing is, as plain rows: a page of 100 assets
    # with the default stages holds ~1,300 of them, and as ORM objects they took a third of
    # a list's interpreter time (docs/decisions.md, "Reads do not wait behind uploads").
    sources: list[Row[Any]] = field(default_factory=list)
    stages: list[Row[Any]] = field(default_factory=list)
    place: Place | None = None
    # Every face in the photo, with who it is where the viewer may know (their own library).
    faces: list[tuple[Face, Person | None]] = field(default_factory=list)
    lines: list[AssetText] = field(default_factory=list)  # the text (kept lines), reading order
    tags: list[AssetTag] = field(default_factory=list)  # see tag_order
    document: Document | None = None  # a document's own metadata and what was learned of it
    pages: list[DocumentPage] = field(default_factory=list)  # a document's pages, in order
    video: Video | None = None  # what a video is
    web_copy: Derivative | None = None  # a video's copy for browsers
    motion: int | None = None  # a Live Photo's or motion photo's clip (a video asset)

    @property
    def text(self) -> str:
        """A photo's lines of text; a document's pages, a blank line between two pages."""
        if self.document is not None:
            return "\n\n".join(page.text for page in self.pages if page.text)
        return "\n".join(line.text for line in self.lines)


def reading_order(lines: Sequence[AssetText]) -> list[AssetText]:
    """Top to bottom, then left to right, by each line's first corner."""
    return sorted(lines, key=lambda t: (t.box[0][1], t.box[0][0]) if t.box else (0.0, 0.0))


def tag_order(t: AssetTag) -> tuple[str, bool, float, int]:
    """By source; within one, surest first, then in the order the tags were first made."""
    return (t.source, t.confidence is None, -(t.confidence or 0.0), t.tag_id)


def gather(session: Session, assets: Sequence[Asset], viewer: int | None
           ) -> dict[int, AssetFacts]:
    """Facts for every asset, in six queries whatever the page size (two more when there
    are documents). ``viewer`` is the user looking (None: the operator, who sees every
    name); people are named only for the owner of the faces: another user who may see a
    shared photo sees that there are faces, not who."""
    facts = {a.id: AssetFacts() for a in assets}
    if not facts:
        return facts
    ids = list(facts)
    for source in session.execute(
            select(AssetSource.asset_id, AssetSource.via, AssetSource.original_filename,
                   AssetSource.source_path, AssetSource.created_at)
            .where(AssetSource.asset_id.in_(ids)).order_by(AssetSource.id)):
        facts[source.asset_id].sources.append(source)
    for stage in session.execute(
            select(AssetStage.asset_id, AssetStage.stage, AssetStage.state,
                   AssetStage.attempts, AssetStage.error, AssetStage.progress_done,
                   AssetStage.progress_total)
            .where(AssetStage.asset_id.in_(ids)).order_by(AssetStage.stage)):
        facts[stage.asset_id].stages.append(stage)
    place_ids = {a.place_id for a in assets if a.place_id is not None}
    places = ({p.id: p for p in session.scalars(select(Place).where(Place.id.in_(place_ids)))}
              if place_ids else {})
    for a in assets:
        facts[a.id].place = places.get(a.place_id) if a.place_id is not None else None
        facts[a.id].tags = sorted(a.tags, key=tag_order)

    faces = list(session.scalars(select(Face).where(Face.asset_id.in_(ids))
                                 .order_by(Face.asset_id, Face.box_x, Face.id)))
    person_ids = {f.person_id for f in faces if f.person_id is not None
                  and (viewer is None or f.owner_id == viewer)}
    persons = ({p.id: p for p in session.scalars(select(Person)
                                                 .where(Person.id.in_(person_ids)))}
               if person_ids else {})
    for face in faces:
        known = face.person_id is not None and (viewer is None or face.owner_id == viewer)
        facts[face.asset_id].faces.append((face, persons.get(face.person_id) if known
                                           else None))  # type: ignore[arg-type]

    by_asset: dict[int, list[AssetText]] = defaultdict(list)
    for line in session.scalars(select(AssetText).where(AssetText.asset_id.in_(ids),
                                                        AssetText.dropped.is_(None))):
        by_asset[line.asset_id].append(line)
    for asset_id, lines in by_asset.items():
        facts[asset_id].lines = reading_order(lines)

    documents = [a.id for a in assets if a.media_type == "document"]
    if documents:
        for row in session.scalars(select(Document).where(Document.asset_id.in_(documents))):
            facts[row.asset_id].document = row
        for page in session.scalars(select(DocumentPage)
                                    .where(DocumentPage.asset_id.in_(documents))
                                    .order_by(DocumentPage.asset_id, DocumentPage.page)):
            facts[page.asset_id].pages.append(page)
    for photo, clip in live_photos.motion_of(
            session, [a.id for a in assets if a.media_type == "image"]).items():
        facts[photo].motion = clip
    videos = [a.id for a in assets if a.media_type == "video"]
    if videos:
        for row in session.scalars(select(Video).where(Video.asset_id.in_(videos))):
            facts[row.asset_id].video = row
        for web in session.scalars(select(Derivative).where(
                Derivative.asset_id.in_(videos), Derivative.kind == "web")):
            facts[web.asset_id].web_copy = web
    return facts


def gather_one(session: Session, asset: Asset, viewer: int | None) -> AssetFacts:
    return gather(session, [asset], viewer)[asset.id]


def dropped_lines(session: Session, asset_id: int) -> list[AssetText]:
    """What the reader returned that does not count as text (each with why), reading order."""
    return reading_order(list(session.scalars(select(AssetText).where(
        AssetText.asset_id == asset_id, AssetText.dropped.is_not(None)))))
