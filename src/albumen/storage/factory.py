from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from albumen.storage.base import Storage
from albumen.storage.local import LocalStorage

if TYPE_CHECKING:
    from albumen.config import Settings


@lru_cache(maxsize=8)
def storage_from_url(url: str) -> Storage:
    """Local storage for a ``file://`` URL (S3 needs its settings: see ``storage_for``)."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return LocalStorage(Path(unquote(parsed.netloc + parsed.path)))
    if parsed.scheme == "s3":
        raise ValueError("s3:// storage is built from the settings: use storage_for(settings)")
    raise ValueError(f"unsupported storage URL scheme {parsed.scheme!r} (use file:// or s3://)")


def storage_for(settings: Settings) -> Storage:
    """The storage ``ALBUMEN_STORAGE_URL`` selects (boto3 is imported only for s3://)."""
    url = settings.effective_storage_url
    if urlparse(url).scheme == "s3":
        from albumen.storage.s3 import s3_storage

        return s3_storage(url, settings)
    return storage_from_url(url)
