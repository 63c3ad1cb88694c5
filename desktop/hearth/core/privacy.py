"""The offline switch: when on, Hearth sends no network request at all.

Three ways turn it on: the ``offline`` setting, the ``HEARTH_OFFLINE=1``
environment variable, and the command line's ``--offline`` flag (which sets that
variable). Hearth's own Hub code checks :func:`is_offline` before every request;
:func:`apply_to_hub_client` also switches huggingface_hub's own offline guard on,
so a request that slipped past Hearth would still be refused by the client.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from hearth.core.netguard import GUARD
from hearth.core.netlog import NETWORK_LOG
from hearth.core.settings import Settings, SettingsStore

log = logging.getLogger(__name__)

OFFLINE_ENV = "HEARTH_OFFLINE"
NETWORK_LOG_NAME = "network.jsonl"
_TRUE = {"1", "true", "yes", "on"}


def env_offline() -> bool:
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in _TRUE


def is_offline(settings: Settings | None = None) -> bool:
    """Whether Hearth must stay off the network now (read each time: the user may flip it)."""
    return env_offline() or bool(settings is not None and settings.offline)


def apply_to_hub_client(offline: bool) -> None:
    """Mirror the switch into huggingface_hub (its env variable, and its constant once imported)."""
    if offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
    else:
        os.environ.pop("HF_HUB_OFFLINE", None)
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        constants.HF_HUB_OFFLINE = offline  # type: ignore[attr-defined]


def set_offline(on: bool, settings: SettingsStore | None = None) -> bool:
    """Flip the switch everywhere: the saved setting, the socket guard and huggingface_hub.

    Returns whether Hearth is offline afterwards (``HEARTH_OFFLINE`` keeps it on
    whatever the setting says). Saving may raise the settings store's HearthError,
    after the guard and the Hub client already follow the new state.
    """
    effective = on or env_offline()
    GUARD.set_offline(effective)
    apply_to_hub_client(effective)
    if settings is not None and settings.settings.offline != on:
        settings.settings.offline = on
        settings.save()
    return effective


def start_guard(logs: Path | None, settings: Settings | None = None) -> bool:
    """At process start: mirror the network log to ``logs/network.jsonl`` and install the guard.

    Returns whether the process starts offline.
    """
    if logs is not None:
        NETWORK_LOG.file = logs / NETWORK_LOG_NAME
    GUARD.install()
    offline = is_offline(settings)
    GUARD.set_offline(offline)
    apply_to_hub_client(offline)
    return offline
