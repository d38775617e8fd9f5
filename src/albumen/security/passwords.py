"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106).

The cost of new hashes is a process-wide setting (``ALBUMEN_PASSWORD_HASH``, applied when a
runtime is made, like the pixel limit): RFC 9106's low-memory profile, or argon2-cffi's
cheapest for test suites, where hundreds of accounts are made and signed in (0.2-0.4 s each
at full cost on two cores). A stored hash carries its own parameters, so either verifies
every hash.
"""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from albumen.errors import InvalidInput

PROFILES = {"rfc9106": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}
MIN_LENGTH = 8
MAX_LENGTH = 1024
_hasher = PasswordHasher.from_parameters(PROFILES["rfc9106"])
# Verifying against this keeps an unknown username as slow as a wrong password.
_DUMMY = _hasher.hash("albumen-timing-equaliser")
_profile = "rfc9106"


def set_profile(name: str) -> None:
    """The cost of the hashes made from now on in this process (one of PROFILES)."""
    global _hasher, _DUMMY, _profile
    if name == _profile:
        return
    _hasher = PasswordHasher.from_parameters(PROFILES[name])
    _DUMMY = _hasher.hash("albumen-timing-equaliser")
    _profile = name


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
