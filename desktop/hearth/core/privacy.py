"""The offline switch: when on, Hearth sends no network request at all.

Three ways turn it on: the ``offline`` setting, the ``HEARTH_OFFLINE=1``
environment variable, and the command line's ``--offline`` flag (which sets that
variable). Hearth's own Hub code checks :func:`is_offline` before every request;
:func:`apply_to_hub_client` also switches huggingface_hub's own offline guard on,
so a request that slipped past Hearth would still be refused by the client.
"""

from __future__ import annotations

import os
import sys

from hearth.core.settings import Settings

OFFLINE_ENV = "HEARTH_OFFLINE"
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
