"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from albumen.errors import InvalidInput

_hasher = PasswordHasher()
MIN_LENGTH = 8
MAX_LENGTH = 1024
# Verifying against this keeps an unknown username as slow as a wrong password.
_DUMMY = _hasher.hash("albumen-timing-equaliser")


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"password must be at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password[:MAX_LENGTH]) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
