"""Request and response shapes of the REST API (separate from the database models)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from albumen.db.documents import OCR
from albumen.db.models import Asset
from albumen.db.models import AssetText as DbAssetText
from albumen.documents import service as documents_svc
from albumen.library import asset_view, places, tiers
from albumen.library import assets as assets_svc


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(BaseModel):
    error: ErrorBody


class SourceOut(BaseModel):
    via: str = Field(description="how these bytes arrived: upload, import, guest, ...")
    original_filename: str = Field(description="the file's name as it arrived")
    source_path: str | None = Field(description="the imported file's path (imports only)")
    created_at: datetime = Field(description="when it arrived")


class StageOut(BaseModel):
    stage: str = Field(description="processing stage: metadata, derivatives, faces, ocr, ...")
    state: str = Field(description="pending, running, done or failed")
    attempts: int = Field(description="how many times the stage has run")
    error: str | None = Field(description="why the stage failed (null unless failed)")
    progress_done: int | None = Field(default=None, description="how far a long stage is: "
                                      "units done (a document's pages read, seconds of a "
                                      "video's web copy made)")
    progress_total: int | None = Field(default=None, description="of this many units")


class Location(BaseModel):
    latitude: float = Field(description="degrees north (WGS 84)")
    longitude: float = Field(description="degrees east (WGS 84)")
    altitude: float | None = Field(default=None, description="metres above sea level")


class AssetPlace(BaseModel):
    id: int = Field(description="the place (GET /api/v1/places lists them)")
    city: str | None = Field(description="the nearest town or city of 1,000 people or more")
    region: str | None = Field(description="state, province or region")
    country: str | None = Field(description="country name in English")
    country_code: str | None = Field(description="ISO 3166-1 alpha-2 code")
    label: str = Field(description="the names joined for display, e.g. 'Lisbon, Portugal'")


class PersonInPhoto(BaseModel):
    face_id: int = Field(description="the face (GET /api/v1/faces/{face_id}/crop shows it)")
    person_id: int | None = Field(
        description="who it is; null for a face not (yet) recognised, and for faces in another "
                    "user's library")
    name: str | None = Field(description="the person's name, when they have one")
    box: list[float] = Field(
        description="x, y, width, height of the face, relative to the upright image (0..1)")
    confidence: float | None = Field(description="detector confidence (0..1)")


class TagOut(BaseModel):
    name: str = Field(description="the tag")
    source: str = Field(description="metadata, holiday, birthday, user, clip, ...")
    confidence: float | None = Field(description="how sure the source is (0..1); null for "
                                                 "tags a person gave or the file carried")


class AssetLinks(BaseModel):
    original: str = Field(description="the original bytes, untouched (supports Range)")
    thumbnail: str = Field(description="WebP thumbnail, short side 250 px")
    preview: str = Field(description="JPEG preview, short side 1440 px")
    text: str = Field(description="the whole text found in the asset, with each line's box")
    playback: str | None = Field(default=None, description="a video as browsers play it: its "
                                 "web copy, or the original when browsers play that (Range)")
    strip: str | None = Field(default=None, description="a video's scrub strip: frames "
                              "spread over it side by side in one WebP (video.strip_frames)")
    motion: str | None = Field(default=None, description="a Live Photo's or motion photo's "
                               "clip as browsers play it")


class WebCopyOut(BaseModel):
    width: int | None = Field(description="pixels across, as displayed")
    height: int | None = Field(description="pixels down, as displayed")
    size: int = Field(description="bytes")


class VideoOut(BaseModel):
    """What a video is, as read from its container."""

    duration: float | None = Field(description="seconds")
    container: str = Field(description="mp4 (MP4, MOV, 3GP), matroska (MKV, WebM), avi or "
                                       "mpegts (TS, MTS, M2TS)")
    video_codec: str = Field(description="h264, hevc, av1, vp9, ...")
    profile: str | None = Field(description="the codec's profile")
    fps: float | None = Field(description="frames a second (the average when variable)")
    frames: int | None = Field(description="frames, as the container says or estimated")
    variable_frame_rate: bool = Field(description="frames come at uneven intervals")
    rotation: int = Field(description="degrees the picture is turned counter-clockwise to "
                                      "display (width and height are as displayed)")
    bit_rate: int | None = Field(description="bits a second, all streams")
    audio_codec: str | None = Field(description="aac, opus, ... (null: no sound)")
    audio_channels: int | None = Field(description="sound channels")
    audio_sample_rate: int | None = Field(description="samples a second")
    browser_playable: bool = Field(description="browsers play the original as it is")
    poster_time: float | None = Field(description="second of the frame shown as its picture")
    strip_frames: int | None = Field(description="frames in the scrub strip")
    web_copy: WebCopyOut | None = Field(description="the copy made for browsers (H.264/AAC "
                                        "MP4, or AV1), when one was made")


class DocumentOut(BaseModel):
    """What a document (a PDF) says of itself. Attachments and scripts inside it are
    counted, never run, extracted or served."""

    title: str | None = Field(description="the document's own title")
    author: str | None = Field(description="its author")
    subject: str | None = Field(description="its subject")
    keywords: str | None = Field(description="the keywords it carries, as written")
    creator: str | None = Field(description="the application that made it")
    producer: str | None = Field(description="the application that wrote the PDF")
    created: datetime | None = Field(description="when it was created, as it says")
    modified: datetime | None = Field(description="when it was last changed, as it says")
    page_width: float = Field(description="width of the first page in points (1/72 inch)")
    page_height: float = Field(description="height of the first page in points")
    attachments: int = Field(description="files embedded in it (never served)")
    has_javascript: bool = Field(description="whether it carries scripts (never run)")
    pages_read: int = Field(description="pages with text: from the text layer or read (OCR)")
    pages_ocr: int = Field(description="pages whose text was read from their pixels")


TEXT_PREVIEW = 300  # characters of the found text in lists and search results
TEXT_DETAIL = 10_000  # and in one asset's detail


class AssetOut(BaseModel):
    """An asset as lists and search results give it (compact: no raw metadata, the first part
    of its text)."""

    id: int = Field(description="the asset's id")
    sha256: str = Field(description="SHA-256 of the original bytes (hex)")
    size: int = Field(description="size of the original in bytes")
    media_type: str = Field(description="image, video or document")
    mime_type: str = Field(description="the original's content type, read from its bytes")
    format: str = Field(description="the original's format: jpeg, heic, png, ...")
    original_filename: str = Field(description="the file's name as it first arrived")
    sources: list[SourceOut] = Field(
        description="every upload or import that carried these bytes (exact duplicates are "
                    "one asset with several sources)")
    state: str = Field(description="processing, ready or failed")
    failure_reason: str | None = Field(description="why processing failed (null unless failed)")
    stages: list[StageOut] = Field(description="the state of each processing stage")
    created_at: datetime = Field(description="when albumen received it")
    deleted_at: datetime | None = Field(description="when it was moved to the trash")
    taken_at: datetime | None = Field(description="UTC instant of capture")
    taken_at_local: str | None = Field(description="wall-clock time written by the camera")
    taken_at_offset_minutes: int | None = Field(
        description="the camera's offset from UTC in minutes, when the file says it")
    width: int | None = Field(description="pixels across, upright")
    height: int | None = Field(description="pixels down, upright")
    orientation: int | None = Field(description="EXIF orientation of the original (1-8)")
    camera_make: str | None = Field(description="camera maker")
    camera_model: str | None = Field(description="camera model")
    lens: str | None = Field(description="lens model")
    exposure_time: float | None = Field(description="exposure in seconds")
    f_number: float | None = Field(description="aperture (f-number)")
    iso: int | None = Field(description="ISO speed")
    focal_length: float | None = Field(description="focal length in millimetres")
    location: Location | None = Field(description="GPS position, when the file has one")
    place: AssetPlace | None = Field(description="the named place of the GPS position")
    people: list[PersonInPhoto] = Field(description="the faces found, with who they are")
    rating: int | None = Field(description="0-5 stars")
    label: str | None = Field(description="colour label (Red, Yellow, Green, Blue, Purple)")
    title: str | None = Field(description="title (from the file or given)")
    description: str | None = Field(description="description (from the file or given)")
    caption: str | None = Field(description="from the optional vision-language model")
    keywords: list[str] = Field(description="a photo's keywords as its file (or sidecar) "
                                            "carried them; a document's key terms, most "
                                            "telling first")
    keyword_paths: list[str] = Field(description="hierarchical keywords as read "
                                                 "(lr:hierarchicalSubject, 'Places|France')")
    tags: list[TagOut] = Field(description="tags with their source and confidence")
    text: str = Field(description="text found in the photo (OCR), line by line in reading "
                                  "order, or a document's text, page by page (a blank line "
                                  "between pages); only its first part when text_truncated")
    pages: int | None = Field(description="a document's page count (null for photos)")
    language: str | None = Field(description="a document's language (ISO 639-1)")
    summary: str | None = Field(description="a document's most telling sentences")
    category: str | None = Field(description="a document's category: given by a person, "
                                             "matched by a rule or predicted")
    category_confidence: float | None = Field(
        description="how sure the prediction is (0..1); 1 for a person's or a rule's")
    category_source: str | None = Field(description="user, rule or model")
    category_suggested: bool = Field(
        description="true when the category is a prediction too unsure to count as a fact: "
                    "shown as a suggestion, not used by the category filter")
    document: DocumentOut | None = Field(description="a PDF's own metadata (null for photos)")
    duration: float | None = Field(default=None, description="a video's length in seconds")
    video: VideoOut | None = Field(default=None, description="what a video is (null for "
                                   "photos and documents)")
    motion_id: int | None = Field(default=None, description="a Live Photo's or motion "
                                  "photo's clip: the video asset shown with it (lists leave "
                                  "it out)")
    motion_of_id: int | None = Field(default=None, description="for such a clip: its photo")
    text_truncated: bool = Field(description="true when text is only the first part: "
                                             "links.text gives the whole")
    favorite: bool = Field(description="marked as a favourite")
    tier: str = Field(default="bronze", description="curation tier: bronze (as it arrived), "
                      "silver (reviewed), gold (selected, metadata complete); GET /api/v1/tiers")
    gold_needs: list[str] = Field(default_factory=list, description="what it lacks to be "
                                  "gold (empty: complete)")
    thumbhash: str | None = Field(description="ThumbHash placeholder (base64)")
    phash: str | None = Field(description="64-bit perceptual hash (hex)")
    event_id: int | None = Field(description="the event it belongs to")
    stack_id: int | None = Field(description="the burst this photo belongs to")
    stack_cover: bool = Field(description="the best photo of its burst (shown on top)")
    moderation: str = Field(description="approved, pending_review or rejected")
    moderation_note: str | None = Field(description="why it is held or rejected")
    screening: dict[str, Any] | None = Field(
        description="nudity score and labels, sharpness, brightness, and flags with reasons")
    links: AssetLinks = Field(description="where its files are")

    _text_limit: ClassVar[int] = TEXT_PREVIEW

    @classmethod
    def many(cls, session: Session, assets: Sequence[Asset], viewer: int | None) -> list[Self]:
        """The JSON of a page of assets, as ``viewer`` (a user id; None: the operator) sees
        them."""
        facts = asset_view.gather(session, assets, viewer)
        return [cls.of(a, facts[a.id]) for a in assets]

    @classmethod
    def one(cls, session: Session, asset: Asset, viewer: int | None) -> Self:
        return cls.many(session, [asset], viewer)[0]

    @classmethod
    def of(cls, asset: Asset, facts: asset_view.AssetFacts) -> Self:
        return cls(**cls._fields(asset, facts))

    @classmethod
    def _fields(cls, asset: Asset, facts: asset_view.AssetFacts) -> dict[str, Any]:
        base = f"/api/v1/assets/{asset.id}"
        location = None
        if asset.latitude is not None and asset.longitude is not None:
            location = Location(latitude=asset.latitude, longitude=asset.longitude,
                                altitude=asset.altitude)
        place = facts.place
        text = facts.text
        return dict(
            id=asset.id, sha256=asset.sha256, size=asset.size, media_type=asset.media_type,
            mime_type=asset.mime_type, format=asset.format,
            original_filename=asset.original_filename,
            sources=[SourceOut(via=s.via, original_filename=s.original_filename,
                               source_path=s.source_path, created_at=s.created_at)
                     for s in facts.sources],
            state=asset.state, failure_reason=asset.failure_reason,
            stages=[StageOut(stage=s.stage, state=s.state, attempts=s.attempts, error=s.error,
                             progress_done=s.progress_done, progress_total=s.progress_total)
                    for s in facts.stages],
            created_at=asset.created_at, deleted_at=asset.deleted_at, taken_at=asset.taken_at,
            taken_at_local=(asset.taken_at_local.replace(tzinfo=None).isoformat()
                            if asset.taken_at_local else None),
            taken_at_offset_minutes=asset.taken_at_offset_minutes,
            width=asset.width, height=asset.height, orientation=asset.orientation,
            camera_make=asset.camera_make, camera_model=asset.camera_model, lens=asset.lens,
            exposure_time=asset.exposure_time, f_number=asset.f_number, iso=asset.iso,
            focal_length=asset.focal_length, location=location,
            place=(AssetPlace(id=place.id, city=place.city, region=place.region,
                            country=place.country, country_code=place.country_code,
                            label=places.label(place)) if place else None),
            people=[PersonInPhoto(face_id=f.id, person_id=p.id if p else None,
                                  name=p.name if p else None,
                                  box=[f.box_x, f.box_y, f.box_w, f.box_h],
                                  confidence=f.confidence) for f, p in facts.faces],
            rating=asset.rating, label=asset.label, keyword_paths=asset.keyword_paths or [],
            title=asset.title, description=asset.description, caption=asset.caption,
            keywords=_keywords(asset, facts),
            **_document_fields(facts),
            tags=[TagOut(name=t.tag.name, source=t.source, confidence=t.confidence)
                  for t in facts.tags],
            text=text[:cls._text_limit], text_truncated=len(text) > cls._text_limit,
            favorite=asset.favorite, tier=asset.tier, gold_needs=tiers.gold_needs(asset, facts),
            thumbhash=asset.thumbhash,
            phash=(f"{asset.phash & ((1 << 64) - 1):016x}" if asset.phash is not None else None),
            event_id=asset.event_id, stack_id=asset.stack_id,
            stack_cover=asset.stack_id is not None and asset.stack is not None
            and asset.stack.cover_asset_id == asset.id,
            moderation=asset.moderation,
            moderation_note=asset.moderation_note, screening=asset.screening,
            duration=asset.duration, video=_video(facts), motion_id=facts.motion,
            motion_of_id=asset.motion_of_id,
            links=AssetLinks(original=f"{base}/original", thumbnail=f"{base}/thumbnail",
                             preview=f"{base}/preview", text=f"{base}/text",
                             **({"playback": f"{base}/playback", "strip": f"{base}/strip"}
                                if asset.media_type == "video" else {}),
                             **({"motion": f"/api/v1/assets/{facts.motion}/playback"}
                                if facts.motion else {})),
        )


def _keywords(asset: Asset, facts: asset_view.AssetFacts) -> list[str]:
    if facts.document is not None:
        return [str(k["term"]) for k in facts.document.keywords or []]
    return asset.keywords or []


def _video(facts: asset_view.AssetFacts) -> VideoOut | None:
    row, web = facts.video, facts.web_copy
    if row is None:
        return None
    return VideoOut(
        duration=row.duration, container=row.container, video_codec=row.video_codec,
        profile=row.profile, fps=row.fps, frames=row.frames,
        variable_frame_rate=row.variable_frame_rate, rotation=row.rotation,
        bit_rate=row.bit_rate, audio_codec=row.audio_codec, audio_channels=row.audio_channels,
        audio_sample_rate=row.audio_sample_rate, browser_playable=row.browser_playable,
        poster_time=row.poster_time, strip_frames=row.strip_frames,
        web_copy=(WebCopyOut(width=web.width, height=web.height, size=web.size)
                  if web is not None else None))


def _document_fields(facts: asset_view.AssetFacts) -> dict[str, Any]:
    doc = facts.document
    if doc is None:
        return dict(pages=None, language=None, summary=None, category=None,
                    category_confidence=None, category_source=None, category_suggested=False,
                    document=None)
    return dict(
        pages=doc.pages, language=doc.language, summary=doc.summary, category=doc.category,
        category_confidence=doc.category_confidence, category_source=doc.category_source,
        category_suggested=documents_svc.suggested(doc),
        document=DocumentOut(
            title=doc.title, author=doc.author, subject=doc.subject, keywords=doc.pdf_keywords,
            creator=doc.creator, producer=doc.producer, created=doc.created,
            modified=doc.modified, page_width=doc.page_width, page_height=doc.page_height,
            attachments=doc.attachments, has_javascript=doc.has_javascript,
            pages_read=sum(1 for p in facts.pages if p.text),
            pages_ocr=sum(1 for p in facts.pages if p.source == OCR)))


class TextLineOut(BaseModel):
    text: str = Field(description="one line of text")
    confidence: float = Field(description="how sure the reader was (0..1)")
    box: list[list[float]] = Field(description="four corners, relative to the image (0..1)")


class DroppedLineOut(TextLineOut):
    reason: str = Field(description="why it does not count as text (too small, unsure, "
                                    "symbols only, repeated character, ...)")


class PageOut(BaseModel):
    page: int = Field(description="the page number, from 1")
    text: str = Field(description="the page's text")
    source: str = Field(description="layer (the PDF's own text), ocr (read from the page's "
                                    "pixels) or none (not read yet: a scan waiting for OCR)")
    confidence: float | None = Field(description="the OCR's mean confidence (ocr pages)")
    thumbnail: str = Field(description="the page's thumbnail")


class AssetText(BaseModel):
    asset_id: int = Field(description="the asset")
    text: str = Field(description="the whole text found, line by line in reading order (a "
                                  "document's pages one after another)")
    lines: list[TextLineOut] = Field(description="each line with where it is (photos)")
    dropped: list[DroppedLineOut] = Field(
        description="what the reader also returned that does not count as text (a face or "
                    "a pattern read as letters), with why; not in text, search or has:text")
    pages: list[PageOut] = Field(description="a document's pages, each with its text")

    @classmethod
    def of(cls, asset_id: int, facts: asset_view.AssetFacts,
           dropped: list[DbAssetText]) -> AssetText:
        base = f"/api/v1/assets/{asset_id}/pages"
        return cls(asset_id=asset_id, text=facts.text, lines=_lines(facts),
                   dropped=[DroppedLineOut(text=t.text, confidence=t.confidence, box=t.box,
                                           reason=t.dropped or "") for t in dropped],
                   pages=[PageOut(page=p.page, text=p.text, source=p.source,
                                  confidence=p.confidence,
                                  thumbnail=f"{base}/{p.page}/thumbnail") for p in facts.pages])


class DuplicateOut(BaseModel):
    asset_id: int = Field(description="a near-duplicate you may see")
    distance: int = Field(description="Hamming distance of the 64-bit perceptual hashes")


def _lines(facts: asset_view.AssetFacts) -> list[TextLineOut]:
    return [TextLineOut(text=t.text, confidence=t.confidence, box=t.box) for t in facts.lines]


class AssetDetail(AssetOut):
    """One asset with everything known about it."""

    metadata_raw: dict[str, Any] | None = Field(description="the metadata as read, by group")
    metadata_errors: list[str] = Field(description="what could not be read from the file")
    text_lines: list[TextLineOut] = Field(
        description="the lines of text found, with boxes (the first lines when text_truncated)")
    duplicates: list[DuplicateOut] = Field(
        description="near-duplicate photos you may see, closest first")

    _text_limit: ClassVar[int] = TEXT_DETAIL

    @classmethod
    def show(cls, session: Session, asset: Asset, viewer: int | None, max_distance: int
             ) -> AssetDetail:
        facts = asset_view.gather_one(session, asset, viewer)
        found = assets_svc.near_duplicates(session, asset.id, max_distance, viewer)
        fields = cls._fields(asset, facts)
        lines, used = [], 0
        for line in _lines(facts):
            used += len(line.text) + 1
            if used > TEXT_DETAIL + 1 and lines:
                break
            lines.append(line)
        return cls(**fields, metadata_raw=asset.metadata_raw,
                   metadata_errors=asset.metadata_errors or [], text_lines=lines,
                   duplicates=[DuplicateOut(asset_id=a.id, distance=d) for a, d in found])


class AssetPage(BaseModel):
    items: list[AssetOut]
    next_cursor: str | None


class UploadResult(BaseModel):
    status: Literal["created", "duplicate"]
    asset: AssetOut


class NearDuplicate(BaseModel):
    distance: int = Field(description="Hamming distance of the 64-bit perceptual hashes")
    asset: AssetOut


class NearDuplicates(BaseModel):
    asset_id: int
    max_distance: int
    items: list[NearDuplicate]
