"""Where a webhook may send: http(s) addresses whose every resolved address is public, or
allowed by the operator. Loopback, private, link-local (cloud metadata services), multicast,
reserved and unspecified addresses are refused unless ``ALBUMEN_WEBHOOK_ALLOW_NETWORKS`` names
them; ``ALBUMEN_WEBHOOK_DENY_NETWORKS`` refuses more. The check is made when a webhook is saved
and again at each delivery, which then connects to the address it checked (a name that
resolves elsewhere a second later, DNS rebinding, gains nothing)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from albumen.errors import InvalidInput

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL = 2000


def networks(text: str, setting: str) -> list[Network]:
    """A comma-separated list of addresses and networks (a setting's value)."""
    found = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            try:
                found.append(ipaddress.ip_network(part, strict=False))
            except ValueError as exc:
                raise ValueError(f"{setting}: {part!r} is not an address or network") from exc
    return found


@dataclass(frozen=True)
class Policy:
    allow: tuple[Network, ...] = ()
    deny: tuple[Network, ...] = ()

    def refusal(self, address: Address) -> str | None:
        """Why ``address`` may not be a target (None: it may)."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in n for n in self.deny):
            return "is on the deny list (ALBUMEN_WEBHOOK_DENY_NETWORKS)"
        if any(address in n for n in self.allow):
            return None
        for test, what in ((address.is_loopback, "a loopback"),
                           (address.is_unspecified, "an unspecified"),
                           (address.is_link_local, "a link-local"),
                           (address.is_private, "a private"),
                           (address.is_multicast, "a multicast"),
                           (address.is_reserved, "a reserved")):
            if test:
                return (f"is {what} address; allow it with "
                        f"ALBUMEN_WEBHOOK_ALLOW_NETWORKS={address}")
        return None


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    path: str  # with the query
    address: Address


def parse(url: str) -> tuple[str, str, int, str]:
    """scheme, host, port and path of a webhook URL, or InvalidInput naming what is wrong."""
    if len(url) > MAX_URL:
        raise InvalidInput(f"the webhook URL is longer than {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(f"the webhook URL is not valid: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise InvalidInput("a webhook URL starts with https:// (or http://)")
    if not parts.hostname:
        raise InvalidInput("the webhook URL has no host")
    if parts.username or parts.password:
        raise InvalidInput("the webhook URL may not carry a user name or password")
    if parts.fragment:
        raise InvalidInput("the webhook URL may not have a #fragment")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def resolve(url: str, policy: Policy) -> Target:
    """The URL checked, with the address to send to: InvalidInput when any address its host
    resolves to is refused, or it does not resolve."""
    scheme, host, port, path = parse(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InvalidInput(f"the webhook host {host!r} does not resolve ({exc})") from exc
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0])
                                   for info in infos))
    if not addresses:
        raise InvalidInput(f"the webhook host {host!r} has no address")
    for address in addresses:
        why = policy.refusal(address)
        if why is not None:
            named = host if host == str(address) else f"{host} ({address})"
            raise InvalidInput(f"webhook target {named} {why}")
    return Target(url, scheme, host, port, path, addresses[0])
