"""The Hugging Face token, kept only in the operating system's keyring.

When no usable keyring exists (a headless Linux without a Secret Service, a
locked-down system), the token is held in memory for this run only and
:func:`backend_description` says so. The token is never written to a file,
settings or a log.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backends import fail

from hearth.core.errors import HearthError

log = logging.getLogger(__name__)

SERVICE = "hearth"
USERNAME = "huggingface-token"

_lock = threading.Lock()
_memory_token: str | None = None


class TokenError(HearthError):
    """The token could not be stored, removed or checked."""


@dataclass(frozen=True)
class TokenCheck:
    """What the Hub says about a token."""

    valid: bool
    username: str | None = None
    role: str | None = None  # "read", "write" or "fineGrained"
    message: str = ""


def _backend() -> keyring.backend.KeyringBackend | None:
    """The keyring to use, or None when only the 'fail' backend is available."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring config must not stop the app
        log.warning("keyring unavailable: %s", exc.__class__.__name__)
        return None
    return None if isinstance(backend, fail.Keyring) else backend


def backend_description() -> str:
    """One line for settings pages: where the token lives."""
    backend = _backend()
    if backend is None:
        return "No system keyring is available: a token is kept in memory for this run only."
    return f"System keyring ({backend.name})"


def keyring_available() -> bool:
    return _backend() is not None


def get_token() -> str | None:
    """The stored token, or None. Never raises: a broken keyring means 'no token'."""
    backend = _backend()
    if backend is not None:
        try:
            value = backend.get_password(SERVICE, USERNAME)
        except keyring.errors.KeyringError as exc:
            log.warning("could not read the token from the keyring: %s", exc.__class__.__name__)
            value = None
        if value:
            return value
    with _lock:
        return _memory_token


def set_token(token: str) -> bool:
    """Store the token. Returns True if it went to the keyring, False if kept in memory only."""
    global _memory_token
    token = token.strip()
    if not token or any(c.isspace() for c in token):
        raise TokenError("That does not look like a Hugging Face token (it is empty or has spaces)")
    backend = _backend()
    if backend is not None:
        try:
            backend.set_password(SERVICE, USERNAME, token)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring refused the token (%s); keeping it in memory", exc.__class__.__name__)
        else:
            with _lock:
                _memory_token = None
            return True
    with _lock:
        _memory_token = token
    return False


def delete_token() -> bool:
    """Forget the token everywhere. Returns True if there was one."""
    global _memory_token
    had = False
    backend = _backend()
    if backend is not None:
        try:
            had = backend.get_password(SERVICE, USERNAME) is not None
            if had:
                backend.delete_password(SERVICE, USERNAME)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise TokenError(f"Could not remove the token from the keyring ({exc.__class__.__name__})") from exc
    with _lock:
        had = had or _memory_token is not None
        _memory_token = None
    return had


def test_token(token: str | None = None, *, offline: bool = False) -> TokenCheck:
    """Ask the Hub whom the token belongs to (one whoami request). Raises OfflineError when offline."""
    from hearth.core import privacy
    from hearth.core.hub_errors import OfflineError, translate

    token = token if token is not None else get_token()
    if not token:
        return TokenCheck(False, message="No token is stored (set one with 'hearth token set').")
    if offline or privacy.is_offline():
        raise OfflineError("Hearth is offline; turn offline mode off to test the token.")
    from hearth.core import hub_http  # late: it prepares huggingface_hub's environment first

    endpoint = hub_http.endpoint()
    try:
        who = hub_http.make_api(None).whoami(token=token)
    except Exception as exc:
        response = getattr(exc, "response", None)
        if getattr(response, "status_code", None) == 401:
            return TokenCheck(False, message="The Hub does not accept this token.")
        raise translate(exc, endpoint=endpoint) from None  # one line, and never the token
    role = (who.get("auth") or {}).get("accessToken", {}).get("role")
    name = who.get("name")
    return TokenCheck(True, name, role, f"Valid token for {name}" + (f" ({role})" if role else ""))
