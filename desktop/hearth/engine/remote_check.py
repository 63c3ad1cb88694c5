"""Asking a remote OpenAI-compatible server which models it offers, with one clear line when it cannot say.

``GET <base_url>/models`` is the one request every OpenAI-compatible server
(llama-server, Ollama, vLLM, LM Studio) answers, so it doubles as the test of
an address and a key. Failures are told apart because each has its own fix:
nothing listening, a host name that does not resolve, a refused key, a server
that is not OpenAI-compatible (usually an address without ``/v1``), a timeout.
Offline mode is checked first, so a refused remote never reaches the network.
"""

from __future__ import annotations

import logging
import socket
from urllib.parse import urlsplit

import httpx2

from hearth.core.netguard import GUARD, OfflineBlocked
from hearth.core.netlog import http_event_hooks
from hearth.engine.endpoint import EngineEndpoint
from hearth.engine.errors import EngineError, EngineRequestError, EngineUnavailable

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 10.0


def offline_error(endpoint: EngineEndpoint) -> EngineUnavailable | None:
    """The refusal to show while Hearth is offline and ``endpoint`` is not on this computer, else None."""
    if GUARD.offline and not endpoint.is_loopback:
        return EngineUnavailable(
            f"Hearth is offline: turn off offline mode in Settings → Privacy to use {endpoint.name}")
    return None


def list_models(endpoint: EngineEndpoint, timeout: float = CHECK_TIMEOUT_S) -> list[str]:
    """The model names ``endpoint`` offers (possibly none). Raises EngineError with a one-line reason."""
    refusal = offline_error(endpoint)
    if refusal is not None:
        raise refusal
    url = f"{endpoint.base_url}/models"
    headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}
    local = endpoint.is_loopback
    try:
        # A loopback server must never be reached through the user's HTTP proxy (as in EngineClient).
        with httpx2.Client(timeout=timeout, trust_env=not local,
                          event_hooks=http_event_hooks("engine" if local else "remote")) as http:
            response = http.get(url, headers=headers)
    except httpx2.TimeoutException:
        raise EngineUnavailable(f"{endpoint.name} did not answer within {timeout:g} s at {endpoint.base_url}") \
            from None
    except (httpx2.TransportError, OSError) as exc:
        raise _connection_error(endpoint, exc) from None
    return _parse(endpoint, response)


def _connection_error(endpoint: EngineEndpoint, exc: BaseException) -> EngineError:
    causes = _chain(exc)
    if any(isinstance(c, OfflineBlocked) for c in causes):
        return offline_error(endpoint) or EngineUnavailable(f"Hearth is offline: {endpoint.name} was blocked")
    host = urlsplit(endpoint.base_url).hostname or endpoint.base_url
    if any(isinstance(c, socket.gaierror) for c in causes) or "name or service not known" in str(exc).lower():
        return EngineUnavailable(f"Cannot find the host '{host}': check the address of {endpoint.name}")
    if any(isinstance(c, ConnectionRefusedError) for c in causes) or "refused" in str(exc).lower():
        return EngineUnavailable(
            f"Nothing answers at {endpoint.base_url} (connection refused): is the {endpoint.name} server running?")
    return EngineUnavailable(f"Cannot reach {endpoint.name} at {endpoint.base_url}: {_one_line(exc)}")


def _parse(endpoint: EngineEndpoint, response: httpx2.Response) -> list[str]:
    name, status = endpoint.name, response.status_code
    if status in (401, 403):
        if endpoint.api_key:
            raise EngineRequestError(f"{name} refused the API key (HTTP {status}): check the key", status)
        raise EngineRequestError(f"{name} needs an API key (HTTP {status}): add one with Change key…", status)
    not_openai = EngineRequestError(
        f"{endpoint.base_url} is not an OpenAI-compatible server (no model list at /models): "
        "check the address, which usually ends in /v1", status)
    if status == 404:
        raise not_openai
    if status >= 400:
        raise EngineRequestError(f"{name} answered the model list with HTTP {status}", status)
    try:
        body = response.json()
    except ValueError:
        raise not_openai from None
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        raise not_openai
    models = [str(item["id"]) for item in data if isinstance(item, dict) and item.get("id")]
    log.info("%s offers %d models", name, len(models))
    return models


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from (httpx2 wraps the socket's error)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or exc.__class__.__name__
