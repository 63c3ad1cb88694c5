"""The one door to huggingface_hub: imported with Hearth's privacy settings applied first.

huggingface_hub reads its environment into constants when first imported, so
this module sets them before importing it: telemetry off, no implicit token
(only the token Hearth keeps in the keyring is ever sent), and offline mode when
``HEARTH_OFFLINE`` is set. The endpoint is read from ``HF_ENDPOINT`` at each call
(never the constant huggingface_hub froze at import), so tests and mirrors work.
"""

from __future__ import annotations

import os
from typing import Any

from hearth import __version__
from hearth.core.privacy import env_offline

os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_IMPLICIT_TOKEN"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
if env_offline():
    os.environ["HF_HUB_OFFLINE"] = "1"

import httpx2  # noqa: E402  (after the environment above)
from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_url  # noqa: E402
from huggingface_hub import set_client_factory  # noqa: E402
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status, http_backoff  # noqa: E402
from huggingface_hub.utils import _http as _hf_http  # noqa: E402

from hearth.core.netlog import http_event_hooks  # noqa: E402

DEFAULT_ENDPOINT = "https://huggingface.co"
#: Seconds to wait for the Hub to answer an API call.
API_TIMEOUT_S = 20.0
#: Listing calls are retried this often on network errors and 5xx answers (waits 0.5 s, 1 s, ...).
API_RETRIES = 2

__all__ = [
    "API_TIMEOUT_S", "HfApi", "endpoint", "get_hf_file_metadata", "get_json_page", "get_session",
    "headers", "hf_hub_url", "hf_raise_for_status", "http_backoff", "httpx2", "make_api",
]


def _logged_client() -> httpx2.Client:
    """huggingface_hub's own client, plus a hook that records each response in the network log."""
    client = _hf_http.default_client_factory()
    hooks = dict(client.event_hooks)
    hooks["response"] = [*hooks.get("response", []), *http_event_hooks("hub")["response"]]
    client.event_hooks = hooks
    return client


set_client_factory(_logged_client)


def endpoint() -> str:
    """The Hub's address now: ``HF_ENDPOINT`` if set (a mirror, or the test emulator)."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def headers(token: str | None) -> dict[str, str]:
    """Request headers: Hearth's user agent, and the token only when Hearth has one."""
    return build_hf_headers(token=token or False, library_name="hearth", library_version=__version__)


def make_api(token: str | None) -> HfApi:
    return HfApi(endpoint=endpoint(), token=token or False, library_name="hearth", library_version=__version__)


def get_json_page(url: str, params: list[tuple[str, Any]] | None, request_headers: dict[str, str]) -> tuple[Any, str | None]:
    """GET one page of a paginated Hub listing; returns (JSON, the next page's URL or None).

    The Hub paginates like GitHub, with a ``Link: <...>; rel="next"`` header whose URL
    already carries the query and a cursor.
    """
    response = http_backoff("GET", url, params=params, headers=request_headers, timeout=API_TIMEOUT_S,
                            max_retries=API_RETRIES, base_wait_time=0.5)
    hf_raise_for_status(response)
    next_url = response.links.get("next", {}).get("url")
    return response.json(), next_url
