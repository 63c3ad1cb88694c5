"""One client for every engine, Hearth's own or remote, speaking the OpenAI API through ``openai``.

Streams ask for ``stream_options={"include_usage": True}`` so the engine
reports exact token counts (Hearth's engine does, as do llama-server, vLLM
and Ollama); when a server does not, the stats count stream chunks instead.
Every failure becomes a one-line :class:`~hearth.engine.errors.EngineError`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any


from hearth.core.errors import HearthError
from hearth.core.netlog import http_event_hooks
from hearth.engine.endpoint import EngineEndpoint
from hearth.engine.errors import ContextOverflowError, EngineError, EngineRequestError, EngineUnavailable
from hearth.engine.stream import ChatResult, ChatStream


log = logging.getLogger(__name__)

#: ``{"role": "system" | "user" | "assistant", "content": str}``
Message = Mapping[str, Any]
_EXTRA_PARAMS = ("top_k", "min_p", "repeat_penalty")


@dataclass
class SamplingParams:
    """Generation settings for one request; None leaves the engine's default."""

    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    min_p: float | None = None
    repeat_penalty: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    stop: list[str] | None = None
    #: Token id -> bias added to its logit (-100 bans a token, as in the OpenAI API).
    logit_bias: dict[int, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> SamplingParams:
        """From :meth:`to_dict` output (e.g. a conversation's saved params); unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        if isinstance(values.get("logit_bias"), dict):
            values["logit_bias"] = {int(k): float(v) for k, v in values["logit_bias"].items()}
        return cls(**values)

    def request_args(self) -> dict[str, Any]:
        """Keyword arguments for ``openai``: standard ones directly, llama.cpp's in ``extra_body``."""
        values = self.to_dict()
        if "logit_bias" in values:  # JSON object keys are strings
            values["logit_bias"] = {str(k): v for k, v in values["logit_bias"].items()}
        extra = {k: values.pop(k) for k in _EXTRA_PARAMS if k in values}
        return values | ({"extra_body": extra} if extra else {})


def _no_tls(base_url: str) -> dict[str, Any]:
    """For plain http, skip building a certificate store (tens of ms) that no request would use."""
    return {"verify": False} if base_url.startswith("http://") else {}


class EngineClient:
    """Talks to one engine. Thread-safe (the ``openai`` client is); one stream per call.

    ``model`` is the model name sent with requests (Hearth's engine ignores it,
    remote servers that host several models need it). ``diagnose`` is called
    when the engine cannot be reached; it may return a better error (the
    supervisor passes one that reports a crashed engine with its log).
    """

    def __init__(self, endpoint: EngineEndpoint, *, model: str | None = None, timeout: float = 600.0,
                 diagnose: Callable[[], EngineError | None] | None = None) -> None:
        import openai  # loaded on first use: ~0.7 s that the window's start need not wait for
        self.endpoint = endpoint
        self.model = model
        self._diagnose = diagnose
        local = endpoint.is_loopback
        self._openai = openai.OpenAI(
            base_url=endpoint.base_url, api_key=endpoint.api_key or "no-key",
            timeout=openai.Timeout(timeout, connect=5.0),
            # Retrying a local engine only delays the news that it died.
            max_retries=0 if local else 2,
            # A loopback engine must never be reached through the user's HTTP proxy.
            # Every request is listed in the network log; loopback ones are flagged as such there.
            http_client=(openai.DefaultHttpxClient(trust_env=False, event_hooks=http_event_hooks("engine"),
                                                   **_no_tls(endpoint.base_url))
                         if local else openai.DefaultHttpxClient(event_hooks=http_event_hooks("remote"),
                                                                 **_no_tls(endpoint.base_url))),
        )

    def close(self) -> None:
        self._openai.close()

    def __enter__(self) -> EngineClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def warm_up(self) -> None:
        """Do once, on a worker thread, what the first streamed reply would otherwise pay for.

        The openai package imports its chat types and builds their validators on
        first use (~100 ms holding the GIL); done while a model loads, the first
        message a user sends no longer freezes the window for that long.
        """
        from openai.types.chat import ChatCompletionChunk

        _ = self._openai.chat.completions
        ChatCompletionChunk.model_validate({"id": "warm-up", "object": "chat.completion.chunk", "created": 0,
                                            "model": "warm-up", "choices": [{"index": 0, "delta": {}}]})
        self.models()

    # ---- requests ------------------------------------------------------------------------
    def models(self) -> list[str]:
        import openai
        try:
            return [m.id for m in self._openai.models.list()]
        except (openai.APIError, OSError) as exc:
            raise self._translate(exc) from exc

    def stream_chat(self, messages: Sequence[Message], params: SamplingParams | None = None, *,
                    model: str | None = None) -> ChatStream:
        """Start a streamed chat reply; iterate the result for text. Raises EngineError."""
        import openai
        started = time.perf_counter()
        try:
            stream = self._openai.chat.completions.create(  # type: ignore[call-overload]
                model=model or self.model or "default", messages=[dict(m) for m in messages],
                stream=True, stream_options={"include_usage": True}, **(params or SamplingParams()).request_args(),
            )
        except (openai.APIError, OSError) as exc:
            raise self._translate(exc) from exc
        return ChatStream(stream, started=started, chat=True, translate=self._translate)

    def chat(self, messages: Sequence[Message], params: SamplingParams | None = None, *,
             model: str | None = None) -> ChatResult:
        return self.stream_chat(messages, params, model=model).result()

    def stream_completion(self, prompt: str, params: SamplingParams | None = None, *,
                          model: str | None = None) -> ChatStream:
        """Raw text completion (no chat template), streamed like :meth:`stream_chat`."""
        import openai
        started = time.perf_counter()
        try:
            stream = self._openai.completions.create(
                model=model or self.model or "default", prompt=prompt, stream=True,
                stream_options={"include_usage": True}, **(params or SamplingParams()).request_args(),
            )
        except (openai.APIError, OSError) as exc:
            raise self._translate(exc) from exc
        return ChatStream(stream, started=started, chat=False, translate=self._translate)

    def complete(self, prompt: str, params: SamplingParams | None = None, *, model: str | None = None) -> ChatResult:
        return self.stream_completion(prompt, params, model=model).result()

    def embed(self, texts: Sequence[str], *, model: str | None = None) -> list[list[float]]:
        """One vector per text, in order. Raises EngineRequestError for a model that is no embedder."""
        import openai
        if not texts:
            return []
        try:
            response = self._openai.embeddings.create(
                model=model or self.model or "default", input=list(texts), encoding_format="float",
            )
        except (openai.APIError, OSError) as exc:
            raise self._translate(exc) from exc
        vectors = [item.embedding for item in sorted(response.data, key=lambda item: item.index)]
        if any(v and isinstance(v[0], list) for v in vectors):
            raise EngineRequestError(
                f"{self.endpoint.name} gives one vector per token, not per text: load an embedding model")
        return [list(map(float, v)) for v in vectors]

    # ---- errors --------------------------------------------------------------------------
    def _translate(self, exc: Exception) -> HearthError:
        """One line for people, whatever ``openai`` or the socket raised."""
        import openai
        name = self.endpoint.name
        if isinstance(exc, openai.APITimeoutError):
            return EngineUnavailable(f"{name} did not answer in time")
        if isinstance(exc, (openai.APIConnectionError, OSError)):
            better = self._diagnose() if self._diagnose else None
            return better or EngineUnavailable(f"Cannot reach {name} at {self.endpoint.base_url}")
        assert isinstance(exc, openai.APIError)
        status = getattr(exc, "status_code", None)
        body = exc.body if isinstance(exc.body, dict) else {}
        body = body.get("error", body) if isinstance(body.get("error"), dict) else body
        code = body.get("code") if isinstance(body.get("code"), str) else None
        message = " ".join(str(body.get("message") or exc.message).split())
        if code == "context_length_exceeded" or "context length" in message or "context window" in message:
            return ContextOverflowError(
                f"The conversation is too long for {name}'s context ({message}); "
                "start a new chat or raise the context length", status, "context_length_exceeded")
        if status in (401, 403):
            return EngineRequestError(f"{name} refused the API key", status, code)
        if status == 404:
            return EngineRequestError(f"{name} does not offer this (404): {message}", status, code)
        where = f" ({status})" if status else ""
        return EngineRequestError(f"{name} answered with an error{where}: {message}", status, code)
