"""Named secrets (the Hugging Face token, the local API server's key), kept only in the OS keyring.

Each secret is one keyring entry under service ``hearth``. When no usable
keyring exists (a headless Linux without a Secret Service, a locked-down
system), a secret is held in memory for this run only and
:func:`backend_description` says so. Secrets are never written to a file,
settings or a log.
"""

from __future__ import annotations

import logging
import secrets as _random
import threading
from collections.abc import Callable
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backends import fail

from hearth.core.errors import HearthError

log = logging.getLogger(__name__)

SERVICE = "hearth"
USERNAME = "huggingface-token"
SERVE_KEY = "serve-api-key"
REMOTE_PREFIX = "remote:"


def remote_key_user(name: str) -> str:
    """The keyring user name of a remote engine's API key."""
    return REMOTE_PREFIX + name

_lock = threading.Lock()
#: Secrets kept for this run only, by keyring user name, when the keyring cannot hold them.
_memory: dict[str, str] = {}


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


def get_secret(user: str) -> str | None:
    """The secret stored as ``user``, or None. Never raises: a broken keyring means 'none'."""
    backend = _backend()
    if backend is not None:
        try:
            value = backend.get_password(SERVICE, user)
        except keyring.errors.KeyringError as exc:
            log.warning("could not read %s from the keyring: %s", user, exc.__class__.__name__)
            value = None
        if value:
            return value
    with _lock:
        return _memory.get(user)


def set_secret(user: str, value: str) -> bool:
    """Store ``value`` as ``user``. Returns True if it went to the keyring, False if kept in memory only."""
    backend = _backend()
    if backend is not None:
        try:
            backend.set_password(SERVICE, user, value)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring refused %s (%s); keeping it in memory", user, exc.__class__.__name__)
        else:
            with _lock:
                _memory.pop(user, None)
            return True
    with _lock:
        _memory[user] = value
    return False


def delete_secret(user: str) -> bool:
    """Forget the secret ``user`` everywhere. Returns True if there was one; raises TokenError."""
    had = False
    backend = _backend()
    if backend is not None:
        try:
            had = backend.get_password(SERVICE, user) is not None
            if had:
                backend.delete_password(SERVICE, user)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise TokenError(f"Could not remove {user} from the keyring ({exc.__class__.__name__})") from exc
    with _lock:
        had = _memory.pop(user, None) is not None or had
    return had


def ensure_secret(user: str, make: Callable[[], str]) -> str:
    """The secret ``user``, first storing ``make()`` when there is none (generated on first use)."""
    value = get_secret(user)
    if value is None:
        value = make()
        set_secret(user, value)
    return value


def forget_memory() -> None:
    """Drop every secret held in memory (tests start each run clean)."""
    with _lock:
        _memory.clear()


def get_token() -> str | None:
    """The stored Hugging Face token, or None. Never raises."""
    return get_secret(USERNAME)


def set_token(token: str) -> bool:
    """Store the token. Returns True if it went to the keyring, False if kept in memory only."""
    token = token.strip()
    if not token or any(c.isspace() for c in token):
        raise TokenError("That does not look like a Hugging Face token (it is empty or has spaces)")
    return set_secret(USERNAME, token)


def delete_token() -> bool:
    """Forget the token everywhere. Returns True if there was one."""
    return delete_secret(USERNAME)


def serve_api_key() -> str:
    """The key clients of the local API server send; made on first use."""
    return ensure_secret(SERVE_KEY, new_api_key)


def renew_serve_api_key() -> str:
    """Replace the local API server's key (clients holding the old one are refused from now on)."""
    key = new_api_key()
    set_secret(SERVE_KEY, key)
    return key


def new_api_key() -> str:
    return "hearth-" + _random.token_urlsafe(24)


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
