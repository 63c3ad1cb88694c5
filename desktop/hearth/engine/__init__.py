"""Inference out of the app's process: engine processes, their supervisor, and the client.

``EngineSupervisor`` starts llama-cpp-python's OpenAI-compatible server in a
child process per role (chat, embedding); ``EngineClient`` talks to it, or to
any remote OpenAI-compatible server, with the ``openai`` package. Nothing
imported from here loads llama_cpp: only the child (``server_main``) does.

Names are imported lazily, so the engine process (which imports
``hearth.engine.server_main``) does not pay for loading ``openai``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "hearth.engine.client": ("EngineClient", "Message", "SamplingParams"),
    "hearth.engine.endpoint": ("EngineEndpoint",),
    "hearth.engine.errors": ("ContextOverflowError", "EngineCrashed", "EngineError", "EngineRequestError",
                             "EngineStartError", "EngineUnavailable"),
    "hearth.engine.load_settings": ("LoadSettings", "LoadSettingsStore", "ResolvedLoadSettings",
                                    "resolve_load_settings"),
    "hearth.engine.remote": ("RemoteEngine", "RemoteEngines"),
    "hearth.engine.stream": ("ChatResult", "ChatStats", "ChatStream"),
    "hearth.engine.supervisor": ("EngineEvent", "EngineHandle", "EngineRole", "EngineState", "EngineSupervisor"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = [
    "ChatResult",
    "ChatStats",
    "ChatStream",
    "ContextOverflowError",
    "EngineClient",
    "EngineCrashed",
    "EngineEndpoint",
    "EngineError",
    "EngineEvent",
    "EngineHandle",
    "EngineRequestError",
    "EngineRole",
    "EngineStartError",
    "EngineState",
    "EngineSupervisor",
    "EngineUnavailable",
    "LoadSettings",
    "LoadSettingsStore",
    "Message",
    "RemoteEngine",
    "RemoteEngines",
    "ResolvedLoadSettings",
    "SamplingParams",
    "resolve_load_settings",
]

if TYPE_CHECKING:
    from hearth.engine.client import EngineClient, Message, SamplingParams
    from hearth.engine.endpoint import EngineEndpoint
    from hearth.engine.errors import (
        ContextOverflowError,
        EngineCrashed,
        EngineError,
        EngineRequestError,
        EngineStartError,
        EngineUnavailable,
    )
    from hearth.engine.load_settings import (
        LoadSettings,
        LoadSettingsStore,
        ResolvedLoadSettings,
        resolve_load_settings,
    )
    from hearth.engine.remote import RemoteEngine, RemoteEngines
    from hearth.engine.stream import ChatResult, ChatStats, ChatStream
    from hearth.engine.supervisor import EngineEvent, EngineHandle, EngineRole, EngineState, EngineSupervisor


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'hearth.engine' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
