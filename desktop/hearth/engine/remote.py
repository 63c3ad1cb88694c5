"""Remote OpenAI-compatible engines the user adds (llama-server, Ollama, vLLM, ...).

The list (name and address) is kept in Settings; each API key lives in the OS
keyring under service ``hearth``, user ``remote:<name>``, and never on disk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import keyring
import keyring.errors

from hearth.core.settings import SettingsStore
from hearth.engine.endpoint import EngineEndpoint, normalise_base_url
from hearth.engine.errors import EngineError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "hearth"


def keyring_user(name: str) -> str:
    return f"remote:{name}"


@dataclass(frozen=True)
class RemoteEngine:
    name: str
    base_url: str


class RemoteEngines:
    """Add, list and remove remote engines; :meth:`endpoint` joins one with its key."""

    def __init__(self, settings: SettingsStore) -> None:
        self.settings = settings

    def list(self) -> list[RemoteEngine]:
        found = []
        for raw in self.settings.settings.remote_engines:
            name, url = raw.get("name"), raw.get("base_url")
            if name and url:
                found.append(RemoteEngine(name, url))
        return found

    def get(self, name: str) -> RemoteEngine:
        for engine in self.list():
            if engine.name == name:
                return engine
        raise EngineError(f"No remote engine named '{name}'")

    def add(self, name: str, base_url: str, api_key: str | None = None) -> RemoteEngine:
        """Remember an engine (replacing none: names are unique). The key goes to the keyring."""
        name = name.strip()
        if not name:
            raise EngineError("A remote engine needs a name")
        if any(e.name == name for e in self.list()):
            raise EngineError(f"There is already a remote engine named '{name}'")
        try:
            url = normalise_base_url(base_url)
        except ValueError as exc:
            raise EngineError(f"'{base_url}' is not a usable address: {exc}") from None
        if api_key:
            self._set_key(name, api_key)
        self.settings.settings.remote_engines.append({"name": name, "base_url": url})
        self.settings.save()
        return RemoteEngine(name, url)

    def remove(self, name: str) -> None:
        self.get(name)
        self.settings.settings.remote_engines = [
            raw for raw in self.settings.settings.remote_engines if raw.get("name") != name
        ]
        self.settings.save()
        try:
            keyring.delete_password(KEYRING_SERVICE, keyring_user(name))
        except keyring.errors.PasswordDeleteError:
            pass  # it had no key
        except keyring.errors.KeyringError as exc:
            log.warning("could not delete the key of remote engine %s: %s", name, exc)

    def set_key(self, name: str, api_key: str | None) -> None:
        """Change (or with None, forget) an engine's key."""
        self.get(name)
        if api_key:
            self._set_key(name, api_key)
            return
        try:
            keyring.delete_password(KEYRING_SERVICE, keyring_user(name))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise EngineError(f"Could not remove the key from the system keyring: {exc}") from None

    def endpoint(self, name: str) -> EngineEndpoint:
        engine = self.get(name)
        try:
            key = keyring.get_password(KEYRING_SERVICE, keyring_user(name))
        except keyring.errors.KeyringError as exc:
            raise EngineError(f"Could not read the key of '{name}' from the system keyring: {exc}") from None
        return EngineEndpoint(engine.base_url, key, engine.name)

    def _set_key(self, name: str, api_key: str) -> None:
        try:
            keyring.set_password(KEYRING_SERVICE, keyring_user(name), api_key)
        except keyring.errors.KeyringError as exc:
            raise EngineError(f"Could not store the key in the system keyring: {exc}") from None
