"""What a chat sends its requests to: Hearth's own loaded model, or a model on a remote server.

The Chat page and its turns only need a client, the model's id (saved with
each reply), a name to show, and the context length when it is known; a local
:class:`~hearth.engine.supervisor.EngineHandle` and a :class:`RemoteTarget`
both satisfy :class:`ChatTarget`, so the send/stream/save path is one path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from hearth.engine.client import EngineClient
from hearth.engine.endpoint import EngineEndpoint
from hearth.engine.errors import EngineError
from hearth.engine.remote import remote_model_id
from hearth.engine.remote_check import offline_error


def url_host(url: str) -> str:
    """``host:port`` of an address, for short notes such as "Remote · 10.0.0.5:8080"."""
    return urlsplit(url).netloc or url


class ChatTarget(Protocol):
    @property
    def model_id(self) -> str: ...

    @property
    def model_name(self) -> str: ...

    @property
    def n_ctx(self) -> int | None: ...

    def client(self, timeout: float = 600.0) -> EngineClient: ...


@dataclass(frozen=True)
class RemoteTarget:
    """One model on a remote engine, after a successful connect."""

    remote: str
    model: str
    endpoint: EngineEndpoint
    #: Remote servers do not say their context length through the OpenAI API.
    n_ctx: int | None = None

    @property
    def model_id(self) -> str:
        return remote_model_id(self.remote, self.model)

    @property
    def model_name(self) -> str:
        return f"{self.remote} · {self.model}"

    @property
    def host(self) -> str:
        return url_host(self.endpoint.base_url)

    def client(self, timeout: float = 600.0) -> EngineClient:
        """A client whose unreachable-server errors say so plainly when offline mode is the reason."""
        return EngineClient(self.endpoint, model=self.model, timeout=timeout, diagnose=self._diagnose)

    def _diagnose(self) -> EngineError | None:
        return offline_error(self.endpoint)
