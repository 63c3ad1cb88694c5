"""Remote OpenAI-compatible engines the user adds (llama-server, Ollama, vLLM, ...).

The list (name, address, and the models last seen there) is kept in Settings;
each API key lives in the OS keyring under service ``hearth``, user
``remote:<name>`` (through :mod:`hearth.core.secrets`, which keeps it for this
run only when there is no keyring), and never on disk. Listing a remote's models is the only
network request made here, and only when asked (:meth:`RemoteEngines.check`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field


from hearth.core import secrets
from hearth.core.errors import HearthError
from hearth.core.settings import SettingsStore
from hearth.engine.endpoint import EngineEndpoint, normalise_base_url
from hearth.engine.errors import EngineError
from hearth.engine.remote_check import list_models

log = logging.getLogger(__name__)

KEYRING_SERVICE = secrets.SERVICE
#: Noted in Settings beside an engine whose key is in the keyring (the key itself never is).
KEY_FLAG, KEY_IN_KEYRING = "key", "keyring"


keyring_user = secrets.remote_key_user


def remote_model_id(name: str, model: str) -> str:
    """What a chat saves as the model of a reply from ``model`` on remote ``name``."""
    return f"remote:{name}/{model}"


def remote_model_label(model_id: str) -> str | None:
    """``"<name> · <model>"`` for an id from :func:`remote_model_id`, else None."""
    if not model_id.startswith("remote:") or "/" not in model_id:
        return None
    name, model = model_id.removeprefix("remote:").split("/", 1)
    return f"{name} · {model}"


@dataclass(frozen=True)
class RemoteEngine:
    name: str
    base_url: str
    #: The models the server listed when last asked (empty: never asked, or it offers none).
    models: tuple[str, ...] = field(default=())


class RemoteEngines:
    """Add, list and remove remote engines; :meth:`endpoint` joins one with its key."""

    def __init__(self, settings: SettingsStore) -> None:
        self.settings = settings

    def list(self) -> list[RemoteEngine]:
        found = []
        for raw in self.settings.settings.remote_engines:
            name, url, models = raw.get("name"), raw.get("base_url"), raw.get("models")
            if isinstance(name, str) and isinstance(url, str) and name and url:
                known = tuple(m for m in models if isinstance(m, str)) if isinstance(models, list) else ()
                found.append(RemoteEngine(name, url, known))
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
        raw: dict[str, str | list[str]] = {"name": name, "base_url": url}
        if api_key:
            raw[KEY_FLAG] = KEY_IN_KEYRING
        self.settings.settings.remote_engines.append(raw)
        self.settings.save()
        return RemoteEngine(name, url)

    def remove(self, name: str) -> None:
        self.get(name)
        self.settings.settings.remote_engines = [
            raw for raw in self.settings.settings.remote_engines if raw.get("name") != name
        ]
        self.settings.save()
        try:
            secrets.delete_secret(keyring_user(name))
        except HearthError as exc:
            log.warning("could not delete the key of remote engine %s: %s", name, exc)

    def set_key(self, name: str, api_key: str | None) -> None:
        """Change (or with None, forget) an engine's key."""
        self.get(name)
        if api_key:
            self._set_key(name, api_key)
        else:
            try:
                secrets.delete_secret(keyring_user(name))
            except HearthError as exc:
                raise EngineError(f"Could not remove the key: {exc}") from None
        self._update(name, KEY_FLAG, KEY_IN_KEYRING if api_key else None)

    def has_key(self, name: str) -> bool:
        """Whether a key was stored for ``name``, from a note in Settings: no keyring call.

        Asking the keyring would block the window (and, with a locked keyring,
        ask for its password at every start) just to show "Stored".
        """
        for raw in self.settings.settings.remote_engines:
            if raw.get("name") == name:
                return raw.get(KEY_FLAG) == KEY_IN_KEYRING
        return False

    def set_models(self, name: str, models: list[str]) -> None:
        """Remember the models ``name`` listed, for the chat picker."""
        self.get(name)
        self._update(name, "models", list(models))

    def _update(self, name: str, field_name: str, value: str | list[str] | None) -> None:
        for raw in self.settings.settings.remote_engines:
            if raw.get("name") == name:
                if value is None:
                    raw.pop(field_name, None)
                else:
                    raw[field_name] = value
        self.settings.save()

    def list_models(self, name: str) -> list[str]:
        """Ask the server (network; run it off the GUI thread). Raises EngineError with a one-line reason."""
        return list_models(self.endpoint(name))

    def check(self, name: str) -> list[str]:
        """List ``name``'s models and remember them; raises EngineError (nothing is remembered then)."""
        models = self.list_models(name)
        self.set_models(name, models)
        return models

    def endpoint(self, name: str) -> EngineEndpoint:
        engine = self.get(name)
        key = secrets.get_secret(keyring_user(name))
        return EngineEndpoint(engine.base_url, key, engine.name)

    def _set_key(self, name: str, api_key: str) -> None:
        if not secrets.set_secret(keyring_user(name), api_key):
            log.warning("no system keyring: the key of remote engine %s is kept for this run only", name)
