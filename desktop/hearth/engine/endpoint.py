"""Where an OpenAI-compatible engine answers: Hearth's own engine processes or a remote server."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class EngineEndpoint:
    """An OpenAI-compatible API root such as ``http://127.0.0.1:8080/v1``.

    ``api_key`` is None for servers that need none. It is kept out of ``repr``
    so that logging an endpoint never leaks the key.
    """

    base_url: str
    api_key: str | None = field(default=None, repr=False)
    name: str = "engine"

    @property
    def is_loopback(self) -> bool:
        return is_loopback_url(self.base_url)


def is_loopback_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    return is_loopback_host(urlsplit(url).hostname or "")


def normalise_base_url(url: str) -> str:
    """Check an http(s) URL and drop a trailing slash; raises ValueError with a short reason."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError("the address must start with http:// or https://")
    if not parts.hostname:
        raise ValueError("the address has no host name")
    if parts.query or parts.fragment:
        raise ValueError("the address must not have a query or fragment")
    return url.rstrip("/")
