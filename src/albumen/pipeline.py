"""Which stages an asset goes through, in order.

Core stages make an asset usable (its state follows them); enrichments add knowledge (faces,
places, ...). Each has its own state row, so each can be re-run or switched off by
configuration (``ALBUMEN_ENRICHMENTS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from albumen.config import Settings

CORE = ("metadata", "derivatives", "phash")
# Screening first: guest uploads wait for it before anyone sees them.
# clip and captions are off by default: CLIP's weights are the operator's to install (albumen
# models install), and captions call a model server the operator runs.
# pages (reading scanned pages) and document (language, keywords, summary, category) are the
# documents' own; a document is screened too (its first page), like any guest upload.
# semantic (passages of text embedded for about:) comes last: it reads what the others found.
ENRICHMENTS = ("screening", "bursts", "places", "faces", "ocr", "pages", "document", "dates",
               "clip", "captions", "semantic")
# A video's web copy (ALBUMEN_TRANSCODE), last: it takes longest, and needs nothing after it.
TRANSCODE = "transcode"
ALL = CORE + ENRICHMENTS + (TRANSCODE,)
MEDIA_TYPES = ("image", "document", "video")
# The enrichments each kind of asset goes through (when enabled). A video's model stages look
# at frames sampled over the clip; its OCR only with ALBUMEN_VIDEO_OCR.
APPLIES = {
    "image": frozenset(ENRICHMENTS) - {"pages", "document"},
    "document": frozenset({"screening", "pages", "document", "semantic"}),
    "video": frozenset({"screening", "places", "faces", "ocr", "dates", "clip", "captions",
                        "semantic"}),
}
ORDER = {name: i for i, name in enumerate(ALL)}
# The job queues (jobs/queue.py) and the stages each one runs: ML workers can live elsewhere,
# and so can the workers making web copies of videos (minutes of CPU each).
QUEUES = ("media", "ml", "video")
ML_STAGES = frozenset({"screening", "faces", "ocr", "pages", "document", "clip", "captions",
                       "semantic"})


def queue_for(stage: str) -> str:
    if stage == TRANSCODE:
        return "video"
    return "ml" if stage in ML_STAGES else "media"


def stages_for(settings: Settings, media_type: str = "image") -> tuple[str, ...]:
    applies = APPLIES.get(media_type, APPLIES["image"])
    enrichments = tuple(s for s in settings.enabled_enrichments if s in applies
                        and (s != "ocr" or media_type != "video" or settings.video_ocr))
    transcode = (TRANSCODE,) if media_type == "video" and settings.transcode != "off" else ()
    return CORE + enrichments + transcode
