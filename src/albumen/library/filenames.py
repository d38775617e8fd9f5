"""Making user-supplied filenames safe to keep and show (they never name a stored file)."""

from __future__ import annotations

import os
import unicodedata

MAX_FILENAME = 255


def clean_filename(raw: str | bytes | None) -> str:
    """The last path component, valid UTF-8, no control characters, at most 255 characters.

    ``../../etc/passwd`` becomes ``passwd``; undecodable bytes become U+FFFD; a name too long is
    shortened in the middle so its extension survives.
    """
    if raw is None:
        return "unnamed"
    if isinstance(raw, bytes):
        text = raw.decode("utf-8", errors="replace")
    else:
        text = raw.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    text = text.replace("\\", "/").split("/")[-1]
    text = "".join(
        ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch)[0] != "C"
    ).strip()
    if text in ("", ".", ".."):
        return "unnamed"
    if len(text) > MAX_FILENAME:
        stem, ext = os.path.splitext(text)
        ext = ext[:16]
        text = stem[: MAX_FILENAME - len(ext) - 1] + "…" + ext
    return text
