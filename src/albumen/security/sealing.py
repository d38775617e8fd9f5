"""Sealing what albumen must be able to show again but should not keep readable at rest
(share-link addresses, so their managers can show a link, its QR code and poster again).

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with a key derived from the
installation's secret: ``ALBUMEN_SECRET_KEY`` when set (the same on every machine of an
installation), else ``<data dir>/secret.key``, made once (mode 0600) at first use. A database
dump or backup alone does not reveal the addresses; losing the secret loses only the showing
again — links work by their hash and keep working.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken

if TYPE_CHECKING:
    from albumen.config import Settings

KEY_FILE = "secret.key"
_PURPOSE = b"albumen sealed values v1\0"
_SIGNING = b"albumen signed urls v1\0"


class Sealer:
    def __init__(self, secret: str) -> None:
        digest = hashlib.sha256(_PURPOSE + secret.encode("utf-8")).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))
        self._signing = hashlib.sha256(_SIGNING + secret.encode("utf-8")).digest()

    def sign(self, message: str) -> str:
        """HMAC-SHA256 of ``message`` under a key of its own derived from the secret, as
        unpadded URL-safe base64 (signed image URLs: images/signing.py)."""
        mac = hmac.new(self._signing, message.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, sealed: str | None) -> str | None:
        """The sealed text; None when there is none or it was sealed with another secret."""
        if not sealed:
            return None
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            return None


def sealer_for(settings: Settings) -> Sealer:
    if settings.secret_key is not None:
        return Sealer(settings.secret_key.get_secret_value())
    return Sealer(_secret_file(Path(settings.data_dir) / KEY_FILE))


def _secret_file(path: Path) -> str:
    """The installation's secret, made on first use: written whole under a temporary name
    and linked into place, so processes starting together agree on one."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
            out.flush()
            os.fsync(out.fileno())
        # fails if another process got there first: theirs is used
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_text().strip()
