"""What kind of device a request came from, by its User-Agent: the classes audience segments
use (phone, tablet, desktop, app, bot), set for each request by the API's middleware and
written with every action the activity log records in it."""

from __future__ import annotations

import re
from contextvars import ContextVar

PHONE, TABLET, DESKTOP, APP, BOT = "phone", "tablet", "desktop", "app", "bot"

# The request's device class, None outside a request (jobs, the CLI).
request_device: ContextVar[str | None] = ContextVar("albumen_request_device", default=None)

_BOT = re.compile(r"bot\b|crawl|spider|slurp|facebookexternalhit|preview|headless", re.I)
_TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|(android(?!.*mobile))", re.I)
_PHONE = re.compile(r"mobi|iphone|ipod|android.*mobile|windows phone|blackberry|opera mini",
                    re.I)
_DESKTOP = re.compile(r"windows nt|macintosh|mac os x|x11|cros|linux x86_64", re.I)


def device_class(user_agent: str | None) -> str | None:
    """phone, tablet, desktop, app (no browser: a client library, curl), bot or None (no
    header). Browsers all say "Mozilla/5.0"; what follows tells the device."""
    if not user_agent:
        return None
    ua = user_agent[:512]
    if _BOT.search(ua):
        return BOT
    if "mozilla/" not in ua.lower():
        return APP
    if _TABLET.search(ua):
        return TABLET
    if _PHONE.search(ua):
        return PHONE
    if _DESKTOP.search(ua):
        return DESKTOP
    return APP
