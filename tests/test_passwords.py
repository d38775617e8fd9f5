"""Password hashes: argon2id at RFC 9106's cost by default; the suite's cheap profile is a
setting, and a hash made at either cost verifies under the other."""

from __future__ import annotations

from pathlib import Path

from albumen.config import Settings
from albumen.runtime import Runtime
from albumen.security import passwords


def test_the_default_cost_is_rfc_9106_and_every_hash_verifies(tmp_path: Path) -> None:
    Runtime(Settings(_env_file=None, data_dir=tmp_path))  # type: ignore[call-arg]
    try:
        strong = passwords.hash_password("a-long-password")
        assert strong.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        passwords.set_profile("cheapest")
        cheap = passwords.hash_password("a-long-password")
        assert cheap.startswith("$argon2id$v=19$m=8,t=1,p=1$")
        assert passwords.verify_password(strong, "a-long-password")
        passwords.set_profile("rfc9106")
        assert passwords.verify_password(cheap, "a-long-password")
        assert not passwords.verify_password(strong, "a-wrong-password")
        assert not passwords.verify_password(None, "a-long-password")
    finally:
        passwords.set_profile("cheapest")  # as the rest of the suite runs
