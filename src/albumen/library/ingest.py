"""Ingest: the one way bytes become an asset (API uploads and CLI imports both come here).

Bytes are streamed to a staged file while hashed (memory stays flat), the type is decided from
the content, the header is checked against the pixel limit, and only then is the original
committed (fsync + atomic rename) and recorded. Any failure before that leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from albumen.db.base import utcnow
from albumen.db.models import (
    APPROVED,
    ASSET_PROCESSING,
    AWAITING_SCREENING,
    PENDING,
    PENDING_REVIEW,
    Asset,
    AssetSource,
    AssetStage,
    User,
)
from albumen.errors import (
    MediaDecodeError,
    QuotaExceeded,
    RejectedFile,
    TooLarge,
    UnsupportedMediaType,
)
from albumen.library import sidecars
from albumen.library.filenames import clean_filename
from albumen.media import motion, paged, pdf, video
from albumen.media.imaging import MAX_ASPECT, check_decode_budget, check_header
from albumen.media.sniff import SUPPORTED, TIFF_DOCUMENT, FileType, sniff
from albumen.notify import emit
from albumen.pipeline import stages_for
from albumen.runtime import Runtime
from albumen.search import text_index
from albumen.storage.base import original_key

if TYPE_CHECKING:
    from albumen.config import Settings

log = logging.getLogger(__name__)

SUPPORTED_NAMES = ", ".join(t.upper() for t in SUPPORTED)
SNIFF_BYTES = 64  # enough of the head to tell a file's type

Outcome = Literal["imported", "duplicate", "rejected", "skipped"]


@dataclass
class IngestResult:
    outcome: Outcome
    filename: str
    asset_id: int | None = None
    reason: str | None = None
    code: str | None = None
    path: str | None = None
    sidecar: str | None = None  # the XMP sidecar (or other record) merged with the file
    # An unusable sidecar beside the file: reported as a file of its own
    sidecar_result: IngestResult | None = None
    warnings: list[str] | None = None  # parts of its metadata left out, and why

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items()
                if v is not None and k != "sidecar_result"}


@dataclass
class Origin:
    """Where the bytes come from (an upload, or an imported file with its path and stat) and
    where they go: whose library or which event, uploaded by whom, moderated or not."""

    via: Literal["upload", "import"]
    filename: str
    path: str | None = None
    size: int | None = None
    mtime_ns: int | None = None
    owner_id: int | None = None
    event_id: int | None = None
    uploaded_by_id: int | None = None
    guest_id: int | None = None
    link_id: int | None = None
    moderation: str = APPROVED
    moderation_note: str | None = None
    # Metadata that came with the file (its XMP sidecar, another system's record of it).
    sidecar: sidecars.Sidecar | None = None

    @property
    def scope(self) -> str:
        """Exact duplicates are recognised within one owner's library, and within one event
        per uploader: a copy of someone else's upload is the uploader's own asset (their own
        moderation item), and a duplicate reply is only ever their own earlier upload."""
        if not self.event_id:
            return f"u{self.owner_id or 0}"
        uploader = self.uploaded_by_id or self.owner_id or 0
        who = f"g{self.guest_id}" if self.guest_id else f"u{uploader}"
        return f"e{self.event_id}:{who}"


def ingest(rt: Runtime, chunks: Iterable[bytes], origin: Origin) -> IngestResult:
    """Store one file. Raises RejectedFile (nothing kept) for input albumen will not store."""
    settings = rt.settings
    filename = clean_filename(origin.filename)
    limit, typed = settings.max_upload_bytes, False
    with rt.storage.stage() as staged:
        for chunk in chunks:
            if not typed and len(staged.head) + len(chunk) >= SNIFF_BYTES:
                typed = True  # a video may be larger than other files
                limit = limit_for(staged.head + chunk[:SNIFF_BYTES], settings)
            if staged.size + len(chunk) > limit:
                setting = "ALBUMEN_MAX_VIDEO_BYTES" if typed and limit != \
                    settings.max_upload_bytes else "ALBUMEN_MAX_UPLOAD_BYTES"
                raise TooLarge(
                    f"file is larger than the limit of {limit:,} bytes ({setting})",
                    details={"max_bytes": limit, "filename": filename},
                )
            staged.write(chunk)
        if staged.size == 0:
            raise RejectedFile("file is empty", details={"filename": filename})
        kind = sniff(staged.head)
        if not isinstance(kind, FileType):
            raise UnsupportedMediaType(
                f"content is {kind}, not a supported image, video or document "
                f"({SUPPORTED_NAMES})",
                details={"detected": kind, "filename": filename},
            )
        with rt.session() as session:
            existing = _by_sha(session, origin.scope, staged.sha256)
            if existing is not None:
                _add_source(session, existing, origin, filename)
                session.commit()
                return _duplicate(rt, filename, existing.id, origin)
            _check_quota(session, origin.owner_id, staged.size, filename)
        if kind.format == "tiff" and _pages(staged.path) > 1:
            kind = TIFF_DOCUMENT  # a scanner's or a fax's document
        if kind.media_type == "document":
            _check_document(staged.path, kind.format, settings, filename)
        elif kind.media_type == "video":
            _check_video(staged.path, settings, filename)
        else:
            _check_image(staged.path, settings, filename)
        sha = staged.sha256
        size = staged.size
        key = original_key(sha)
        rt.storage.commit(staged, key)
        asset_id, duplicate = _record(rt, sha, size, key, kind, filename, origin)
        # Originals are shared by content: if purging a rejected copy of the same bytes
        # removed the file between our commit and our record, put it back from the stage.
        if not rt.storage.exists(key):
            rt.storage.commit(staged, key)
        if kind.format == "jpeg" and not duplicate:
            _motion_clip(rt, staged.path, asset_id, origin, filename)
    if duplicate:
        return _duplicate(rt, filename, asset_id, origin)
    rt.queue.enqueue_asset(asset_id)
    return IngestResult("imported", filename, asset_id, path=origin.path)


def _duplicate(rt: Runtime, filename: str, asset_id: int, origin: Origin) -> IngestResult:
    """Another copy of stored bytes: its sidecar is kept when the asset has none yet."""
    if origin.sidecar is not None:
        sidecars.merge(rt, asset_id, origin.sidecar, replace=False)
    return IngestResult("duplicate", filename, asset_id, path=origin.path)


def _motion_clip(rt: Runtime, path: Path, photo_id: int, origin: Origin,
                 filename: str) -> None:
    """A motion photo's clip (inside the JPEG) becomes a video asset of its own, marked as
    the photo's motion; a clip albumen will not store leaves the photo as it is."""
    span = motion.embedded_clip(path)
    if span is None:
        return
    stem = filename.rsplit(".", 1)[0]
    clip = replace(origin, filename=f"{stem}.motion.mp4", path=None, size=None,
                   mtime_ns=None, sidecar=None)
    try:
        result = ingest(rt, motion.read_clip(path, span), clip)
    except RejectedFile as exc:
        log.info("%s: its motion clip was not kept: %s", filename, exc.message)
        return
    with rt.transaction() as session:
        session.execute(update(Asset).where(Asset.id == result.asset_id)
                        .values(motion_of_id=photo_id))


def limit_for(head: bytes, settings: Settings) -> int:
    kind = sniff(head)
    if isinstance(kind, FileType) and kind.media_type == "video":
        return settings.max_video_bytes
    return settings.max_upload_bytes


def _check_video(path: Path, settings: Settings, filename: str) -> None:
    """A clip is opened before it is stored: one FFmpeg cannot read as a container (a
    truncated MP4 without its index, HTML behind a video's magic bytes), without a video
    stream, or over the limits is refused with the reason. Its frames are decoded later."""
    try:
        video.probe(path, video.VideoLimits.of(settings))
    except MediaDecodeError as exc:
        raise RejectedFile(exc.message, details={"filename": filename}) from None
    except RejectedFile as exc:
        exc.details = {**exc.details, "filename": filename}
        raise


def _check_image(path: Path, settings: Settings, filename: str) -> None:
    try:
        check_header(path, settings.max_image_pixels)
        # A file whose decode could never fit in the decode memory budget is refused now,
        # with its size and the budget, rather than stored to fail in processing.
        check_decode_budget(path, settings.preview_size, MAX_ASPECT * settings.preview_size)
    except MediaDecodeError as exc:
        # The container is one we support but its header is damaged: keep the user's
        # bytes; processing records the failure with its reason.
        log.info("%s: stored despite unreadable header: %s", filename, exc.message)


def _pages(path: Path) -> int:
    try:
        return paged.page_count(path)
    except MediaDecodeError:
        return 1  # a damaged TIFF is a photo whose processing will say why


def _check_document(path: Path, fmt: str, settings: Settings, filename: str) -> None:
    """A document is opened before it is stored: one over the limits (pages, page size or
    pixels), without pages, or that cannot be read even after repairing it is refused with
    the reason; an encrypted PDF is kept (its password can be given later)."""
    try:
        paged.inspect(path, fmt, settings.max_document_pages, settings.max_image_pixels)
    except pdf.PasswordProtected as exc:
        log.info("%s: stored encrypted: %s", filename, exc.message)
    except MediaDecodeError as exc:
        raise RejectedFile(exc.message, details={"filename": filename}) from None
    except RejectedFile as exc:
        exc.details = {**exc.details, "filename": filename}
        raise


def _by_sha(session: Session, scope: str, sha: str) -> Asset | None:
    return session.scalar(select(Asset).where(Asset.scope == scope, Asset.sha256 == sha))


def _check_quota(session: Session, owner_id: int | None, size: int, filename: str) -> None:
    if owner_id is None:
        return
    quota = session.scalar(select(User.quota_bytes).where(User.id == owner_id))
    if quota is None:
        return
    from albumen.accounts.users import storage_used

    used = storage_used(session, owner_id)
    if used + size > quota:
        raise QuotaExceeded(
            f"storage quota exceeded: {used:,} of {quota:,} bytes used, this file needs {size:,}",
            details={"quota_bytes": quota, "used_bytes": used, "filename": filename},
        )


def _add_source(session: Session, asset: Asset, origin: Origin, filename: str) -> None:
    if origin.path is not None:
        known = session.scalar(
            select(AssetSource).where(
                AssetSource.asset_id == asset.id, AssetSource.source_path == origin.path
            )
        )
        if known is not None:
            known.source_size, known.source_mtime_ns = origin.size, origin.mtime_ns
            return
    session.add(_source(asset.id, origin, filename))


def _source(asset_id: int, origin: Origin, filename: str) -> AssetSource:
    return AssetSource(
        asset_id=asset_id,
        via=origin.via,
        original_filename=filename,
        source_path=origin.path,
        source_size=origin.size,
        source_mtime_ns=origin.mtime_ns,
    )


def _record(
    rt: Runtime, sha: str, size: int, key: str, kind: FileType, filename: str, origin: Origin
) -> tuple[int, bool]:
    now = utcnow()
    try:
        with rt.transaction() as session:
            asset = Asset(
                sha256=sha, size=size, media_type=kind.media_type, mime_type=kind.mime_type,
                format=kind.format, storage_key=key, original_filename=filename,
                owner_id=origin.owner_id, event_id=origin.event_id, scope=origin.scope,
                uploaded_by_id=origin.uploaded_by_id, guest_id=origin.guest_id,
                link_id=origin.link_id, moderation=origin.moderation,
                moderation_note=origin.moderation_note,
                state=ASSET_PROCESSING, created_at=now, sort_at=now, local_at=now,
            )
            session.add(asset)
            session.flush()
            session.add(_source(asset.id, origin, filename))
            if origin.sidecar is not None:
                sidecars.attach(session, asset.id, origin.sidecar)
            for stage in stages_for(rt.settings, kind.media_type):
                session.add(AssetStage(asset_id=asset.id, stage=stage, state=PENDING,
                                       queued_at=now))
            session.flush()
            text_index.write(session, {asset.id: [filename]})  # findable by name at once
            emit(session, "asset.created", asset_id=asset.id, media_type=kind.media_type,
                 filename=filename)
            if origin.guest_id is not None and origin.event_id is not None:
                emit(session, "event.upload", asset_id=asset.id, event_id=origin.event_id,
                     guest_id=origin.guest_id, link_id=origin.link_id)
            if origin.moderation == PENDING_REVIEW and \
                    origin.moderation_note != AWAITING_SCREENING:  # screening decides those
                emit(session, "moderation.pending", asset_id=asset.id,
                     event_id=origin.event_id, note=origin.moderation_note)
            return asset.id, False
    except IntegrityError:
        # The same bytes arrived concurrently and the other request recorded them first.
        with rt.transaction() as session:
            existing = _by_sha(session, origin.scope, sha)
            if existing is None:
                raise
            _add_source(session, existing, origin, filename)
            return existing.id, True


def already_imported(session: Session, path: str, size: int, mtime_ns: int,
                     scope: str) -> int | None:
    """The asset id of a path imported before with the same size and mtime (re-runs skip it)."""
    return session.scalar(
        select(AssetSource.asset_id)
        .join(Asset, Asset.id == AssetSource.asset_id)
        .where(
            Asset.scope == scope,
            AssetSource.source_path == path,
            AssetSource.source_size == size,
            AssetSource.source_mtime_ns == mtime_ns,
        )
        .limit(1)
    )


def rejected(filename: str, exc: RejectedFile, path: str | None = None) -> IngestResult:
    return IngestResult("rejected", clean_filename(filename), reason=exc.message, code=exc.code,
                        path=path)
