"""Standard Webhooks 1.0 signatures: ``whsec_`` secrets (24 random bytes, base64) and the
``webhook-id``/``webhook-timestamp``/``webhook-signature`` headers, HMAC-SHA256 over
``id.timestamp.body`` by the ``standardwebhooks`` package (the same one receivers verify with,
in Python and in Node). After a rotation the previous secret signs too, for a day: the header
then holds both signatures, so a receiver still on the old secret keeps verifying."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from standardwebhooks.webhooks import Webhook as Signer

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def headers(message_id: str, at: datetime, body: bytes, secrets_: list[str]
            ) -> dict[str, str]:
    """The headers of one attempt, signed with each of ``secrets_`` (newest first)."""
    signatures = " ".join(Signer(s).sign(message_id, at, body) for s in secrets_)
    return {"webhook-id": message_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signatures}
