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
ENRICHMENTS = ("screening", "bursts", "places", "faces", "ocr", "dates", "clip", "captions")
ALL = CORE + ENRICHMENTS
ORDER = {name: i for i, name in enumerate(ALL)}
# The job queues (jobs/queue.py) and the stages each one runs: ML workers can live elsewhere.
QUEUES = ("media", "ml")
ML_STAGES = frozenset({"screening", "faces", "ocr", "clip", "captions"})


def queue_for(stage: str) -> str:
    return "ml" if stage in ML_STAGES else "media"


def stages_for(settings: Settings) -> tuple[str, ...]:
    return CORE + settings.enabled_enrichments
