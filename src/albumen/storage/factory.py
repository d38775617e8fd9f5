from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from albumen.storage.base import Storage
from albumen.storage.local import LocalStorage


@lru_cache(maxsize=8)
def storage_from_url(url: str) -> Storage:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return LocalStorage(Path(unquote(parsed.netloc + parsed.path)))
    raise ValueError(f"unsupported storage URL scheme {parsed.scheme!r} (use file://…)")
