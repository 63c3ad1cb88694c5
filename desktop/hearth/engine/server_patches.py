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

And one cost: the server asks a worker thread for every next token and waits
for the event loop before asking for the one after, two thread hand-offs on the
critical path of each token, and on a busy CPU each waits for a time slice.
Measured on two cores with a tiny model (where the HTTP path is most of the
work): 1.2-1.35 ms per token with the hand-offs, 0.86-1.26 ms without them
(0.62 ms in-process) on an idle machine, and 3.6-4.6 against 1.3-2.6 ms under
load. :func:`patch_app` swaps in an event publisher that runs the whole
generation in one thread and hands chunks to the event loop without waiting.

The server's routes look up ``Llama.create_chat_completion``, ``Llama.__call__``
and the app module's ``get_event_publisher`` at request time, so replacing
those attributes is the one hook that needs no copy of the routes.
:func:`apply` must run before ``llama_cpp.server.app`` is imported,
:func:`patch_app` after.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import anyio
import llama_cpp
from llama_cpp.server import types as server_types

from hearth.engine import chat_formats

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
    chat_formats.register()
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


_END = object()


def patch_app(app_module: ModuleType) -> None:
    """Replace the streaming event publisher of ``llama_cpp.server.app`` (see the module docstring)."""

    async def get_event_publisher(request: Any, inner_send_chan: Any, body: Any, body_model: str | None,
                                  llama_call: Callable[..., Any], kwargs: dict[str, Any]) -> None:
        settings = next(app_module.get_server_settings())
        interrupt = bool(settings.interrupt_requests) if settings else False
        async with contextlib.asynccontextmanager(app_module.get_llama_proxy)() as proxy:
            llama = app_module.prepare_request_resources(body, proxy, body_model, kwargs)
            loop = asyncio.get_running_loop()
            chunks: asyncio.Queue[Any] = asyncio.Queue()
            stop = threading.Event()

            def produce() -> None:
                iterator = None
                try:
                    iterator = llama_call(llama, **kwargs)
                    for chunk in iterator:
                        loop.call_soon_threadsafe(chunks.put_nowait, chunk)
                        if stop.is_set():
                            break
                    loop.call_soon_threadsafe(chunks.put_nowait, _END)
                except BaseException as exc:  # handed to the event loop, which raises it there
                    loop.call_soon_threadsafe(chunks.put_nowait, exc)
                finally:
                    close = getattr(iterator, "close", None)
                    if close is not None:
                        close()

            async with inner_send_chan, anyio.create_task_group() as workers:
                # Not abandoned on cancel: the model stays locked until generation has stopped.
                workers.start_soon(anyio.to_thread.run_sync, produce)
                try:
                    while (chunk := await chunks.get()) is not _END:
                        if isinstance(chunk, BaseException):
                            raise chunk
                        await inner_send_chan.send({"data": json.dumps(chunk)})
                        if await request.is_disconnected():
                            raise anyio.get_cancelled_exc_class()()
                        if interrupt and app_module.llama_outer_lock.locked():
                            break
                    await inner_send_chan.send({"data": "[DONE]"})
                except anyio.get_cancelled_exc_class():
                    print(f"Disconnected from client {request.client}", file=sys.stderr)
                    raise
                finally:
                    stop.set()

    app_module.get_event_publisher = get_event_publisher  # type: ignore[attr-defined]


def default_pooling(pooling_type: int) -> None:
    """Make ``pooling_type`` the default of every ``Llama`` the server creates (it passes none).

    llama.cpp then pools a chat model's token vectors into one vector per text.
    """
    original = llama_cpp.Llama.__init__

    @functools.wraps(original)
    def init(self: llama_cpp.Llama, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("pooling_type", pooling_type)
        original(self, *args, **kwargs)

    llama_cpp.Llama.__init__ = init  # type: ignore[method-assign]
