"""Random tokens and how they are stored: only a SHA-256 of each token is ever kept.

Tokens carry at least 128 bits of randomness (``secrets.token_urlsafe(32)`` gives 256), so a
plain SHA-256 is a sufficient one-way function for them (unlike passwords, which need argon2).
Lookups go by hash; the final comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
