"""Engine-process-only adjustments to llama-cpp-python's OpenAI server. Never import in the GUI.

Two gaps in the server matter to Hearth's streaming client:

* ``stream_options={"include_usage": true}`` is ignored, so a stream never
  reports token counts. The request models gain the field, and a streamed
  reply ends with an OpenAI-style usage chunk (``choices: []``) when asked.
  The counts come from wrapping ``Llama.generate``: the prompt it is given and
  the non end-of-generation tokens it yields, which is how llama-cpp-python
  itself counts for non-streamed replies.
* An error raised while a stream runs (the prompt overflows the context, a
  chat template fails) cuts the HTTP response off without a word. It is sent
  instead as an ``{"error": {...}}`` event, which the ``openai`` client raises
  as an APIError carrying the message and code.

The server's routes look up ``Llama.create_chat_completion`` and
``Llama.__call__`` on the class at request time, so wrapping the class
attributes is the one hook that needs no copy of the routes. :func:`apply`
must run before ``llama_cpp.server.app`` is imported.
"""

from __future__ import annotations

import functools
import re
import sys
import time
import traceback
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any

import llama_cpp
from llama_cpp.server import types as server_types

_OVERFLOW = re.compile(r"Requested tokens \((\d+)\) exceed context window of (\d+)")


class _ChatRequest(server_types.CreateChatCompletionRequest):
    stream_options: dict[str, Any] | None = None


class _CompletionRequest(server_types.CreateCompletionRequest):
    stream_options: dict[str, Any] | None = None


@dataclass
class _Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0


def apply() -> None:
    """Install the adjustments (idempotent). Raises RuntimeError if the server app is already imported."""
    if getattr(llama_cpp.Llama, "_hearth_patched", False):
        return
    if "llama_cpp.server.app" in sys.modules:
        raise RuntimeError("server patches must be applied before llama_cpp.server.app is imported")
    server_types.CreateChatCompletionRequest = _ChatRequest  # type: ignore[misc]
    server_types.CreateCompletionRequest = _CompletionRequest  # type: ignore[misc]
    llama = llama_cpp.Llama
    llama.generate = _counting(llama.generate)  # type: ignore[method-assign]
    llama.create_chat_completion = _guarded(llama.create_chat_completion, "chat.completion.chunk")  # type: ignore[method-assign]
    llama.__call__ = _guarded(llama.__call__, "text_completion")  # type: ignore[method-assign]
    llama._hearth_patched = True  # type: ignore[attr-defined]


def _is_end(model: Any, token: int) -> bool:
    try:
        return bool(llama_cpp.llama_vocab_is_eog(model._model.vocab, token))
    except AttributeError:  # older bindings
        return token == model.token_eos()


def _counting(original: Callable[..., Generator[int, Any, None]]) -> Callable[..., Generator[int, Any, None]]:
    @functools.wraps(original)
    def generate(self: Any, tokens: Any, *args: Any, **kwargs: Any) -> Generator[int, Any, None]:
        usage: _Usage | None = getattr(self, "_hearth_usage", None)
        tokens = list(tokens)
        if usage is not None:
            usage.prompt_tokens = len(tokens)
        inner = original(self, tokens, *args, **kwargs)
        sent = None
        try:
            while True:
                try:
                    token = inner.send(sent)
                except StopIteration:
                    return
                if usage is not None and not _is_end(self, token):
                    usage.completion_tokens += 1
                sent = yield token
        finally:
            inner.close()

    return generate


def _guarded(original: Callable[..., Any], chunk_object: str) -> Callable[..., Any]:
    @functools.wraps(original)
    def call(self: Any, *args: Any, stream_options: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        if not kwargs.get("stream"):
            self._hearth_usage = None
            return original(self, *args, **kwargs)
        want_usage = isinstance(stream_options, dict) and bool(stream_options.get("include_usage"))
        usage = _Usage()
        self._hearth_usage = usage
        try:
            chunks = original(self, *args, **kwargs)
        except Exception as exc:  # raised before the first chunk (a chat template error, say)
            return iter([_error_event(exc)])
        return _stream(chunks, usage, want_usage, chunk_object)

    return call


def _stream(chunks: Iterator[dict[str, Any]], usage: _Usage, want_usage: bool, chunk_object: str
            ) -> Iterator[dict[str, Any]]:
    last: dict[str, Any] | None = None
    try:
        for chunk in chunks:
            last = chunk
            yield chunk
    except Exception as exc:
        yield _error_event(exc)
        return
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    if want_usage:
        yield {
            "id": last["id"] if last else f"hearth-{time.time_ns()}",
            "object": chunk_object,
            "created": last["created"] if last else int(time.time()),
            "model": last["model"] if last else "",
            "choices": [],
            "usage": {
                "prompt_tokens": usage.prompt_tokens,
                "completion_tokens": usage.completion_tokens,
                "total_tokens": usage.prompt_tokens + usage.completion_tokens,
            },
        }


def _error_event(exc: Exception) -> dict[str, Any]:
    """An OpenAI-style error object; the traceback goes to the engine log."""
    overflow = _OVERFLOW.search(str(exc))
    if overflow:
        message = (f"This model's maximum context length is {overflow.group(2)} tokens, "
                   f"but the prompt has {overflow.group(1)} tokens")
        return {"error": {"message": message, "type": "invalid_request_error",
                          "code": "context_length_exceeded", "param": "messages"}}
    print(f"Exception while streaming: {exc}", file=sys.stderr)
    traceback.print_exc(file=sys.stderr)
    return {"error": {"message": str(exc) or exc.__class__.__name__, "type": "server_error",
                      "code": None, "param": None}}
