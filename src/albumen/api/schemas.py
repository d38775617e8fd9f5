"""Request and response shapes of the REST API (separate from the database models)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from albumen.db.models import Asset


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(BaseModel):
    error: ErrorBody


class SourceOut(BaseModel):
    via: str
    original_filename: str
    source_path: str | None
    created_at: datetime


class StageOut(BaseModel):
    stage: str
    state: str
    attempts: int
    error: str | None


class Location(BaseModel):
    latitude: float
    longitude: float
    altitude: float | None = None


class TagOut(BaseModel):
    name: str
    source: str = Field(description="metadata, holiday, birthday, user, clip, ...")
    confidence: float | None


class AssetLinks(BaseModel):
    original: str
    thumbnail: str
    preview: str


class AssetOut(BaseModel):
    id: int
    sha256: str
    size: int
    media_type: str
    mime_type: str
    format: str
    original_filename: str
    sources: list[SourceOut]
    state: str
    failure_reason: str | None
    stages: list[StageOut]
    created_at: datetime
    deleted_at: datetime | None
    taken_at: datetime | None = Field(description="UTC instant of capture")
    taken_at_local: str | None = Field(description="wall-clock time written by the camera")
    taken_at_offset_minutes: int | None
    width: int | None
    height: int | None
    orientation: int | None
    camera_make: str | None
    camera_model: str | None
    lens: str | None
    exposure_time: float | None
    f_number: float | None
    iso: int | None
    focal_length: float | None
    location: Location | None
    rating: int | None
    title: str | None
    description: str | None
    caption: str | None = Field(description="from the optional vision-language model")
    keywords: list[str]
    tags: list[TagOut]
    favorite: bool
    thumbhash: str | None
    phash: str | None
    event_id: int | None
    stack_id: int | None = Field(description="the burst this photo belongs to")
    stack_cover: bool = Field(description="the best photo of its burst (shown on top)")
    moderation: str
    moderation_note: str | None
    screening: dict[str, Any] | None = Field(
        description="nudity score and labels, sharpness, brightness, and flags with reasons")
    links: AssetLinks

    @classmethod
    def of(cls, asset: Asset) -> AssetOut:
        base = f"/api/v1/assets/{asset.id}"
        location = None
        if asset.latitude is not None and asset.longitude is not None:
            location = Location(latitude=asset.latitude, longitude=asset.longitude,
                                altitude=asset.altitude)
        return cls(
            id=asset.id, sha256=asset.sha256, size=asset.size, media_type=asset.media_type,
            mime_type=asset.mime_type, format=asset.format,
            original_filename=asset.original_filename,
            sources=[SourceOut.model_validate(s, from_attributes=True) for s in asset.sources],
            state=asset.state, failure_reason=asset.failure_reason,
            stages=[StageOut.model_validate(s, from_attributes=True) for s in asset.stages],
            created_at=asset.created_at, deleted_at=asset.deleted_at, taken_at=asset.taken_at,
            taken_at_local=(asset.taken_at_local.replace(tzinfo=None).isoformat()
                            if asset.taken_at_local else None),
            taken_at_offset_minutes=asset.taken_at_offset_minutes,
            width=asset.width, height=asset.height, orientation=asset.orientation,
            camera_make=asset.camera_make, camera_model=asset.camera_model, lens=asset.lens,
            exposure_time=asset.exposure_time, f_number=asset.f_number, iso=asset.iso,
            focal_length=asset.focal_length, location=location, rating=asset.rating,
            title=asset.title, description=asset.description, caption=asset.caption,
            keywords=asset.keywords or [],
            tags=[TagOut(name=t.tag.name, source=t.source, confidence=t.confidence)
                  for t in asset.tags],
            favorite=asset.favorite, thumbhash=asset.thumbhash,
            phash=(f"{asset.phash & ((1 << 64) - 1):016x}" if asset.phash is not None else None),
            event_id=asset.event_id, stack_id=asset.stack_id,
            stack_cover=asset.stack_id is not None and asset.stack is not None
            and asset.stack.cover_asset_id == asset.id,
            moderation=asset.moderation,
            moderation_note=asset.moderation_note, screening=asset.screening,
            links=AssetLinks(original=f"{base}/original", thumbnail=f"{base}/thumbnail",
                             preview=f"{base}/preview"),
        )


class TextLineOut(BaseModel):
    text: str
    confidence: float
    box: list[list[float]] = Field(description="four corners, relative to the image (0..1)")


class AssetDetail(AssetOut):
    metadata_raw: dict[str, Any] | None
    metadata_errors: list[str]
    text: list[TextLineOut] = Field(description="text found in the photo (OCR)")

    @classmethod
    def of(cls, asset: Asset) -> AssetDetail:
        base = AssetOut.of(asset).model_dump()
        return cls(**base, metadata_raw=asset.metadata_raw,
                   metadata_errors=asset.metadata_errors or [],
                   text=[TextLineOut(text=t.text, confidence=t.confidence, box=t.box)
                         for t in asset.texts])


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
