"""A streamed reply: text pieces as they arrive, then the numbers that describe it.

:class:`ChatStream` wraps the ``openai`` package's stream. Iterate it for text
deltas; when the loop ends, :attr:`ChatStream.stats` tells how it went.
:meth:`ChatStream.cancel` may be called from any thread: it shuts the socket
so a reader blocked waiting for the next token wakes at once, and the engine,
seeing its client gone, stops generating.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any


from hearth.core.errors import HearthError

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)

#: finish_reason values Hearth adds to the server's own ("stop", "length", ...).
CANCELLED = "cancelled"
INTERRUPTED = "interrupted"  # the stream ended without saying why
FAILED = "error"


@dataclass(frozen=True)
class ChatStats:
    """How one reply went. Times in seconds; rates in tokens per second."""

    prompt_tokens: int | None
    completion_tokens: int
    time_to_first_token: float | None
    total_time: float
    #: Generation speed after the first token: (completion_tokens - 1) / (last - first token time).
    tokens_per_second: float | None
    #: Prompt tokens / time to first token (includes the request's own overhead).
    prompt_tokens_per_second: float | None
    finish_reason: str
    #: True when the engine reported token counts; False when Hearth counted stream chunks.
    usage_reported: bool
    model: str | None = None

    @property
    def partial(self) -> bool:
        """Whether the reply was cut short (cancelled, interrupted or failed)."""
        return self.finish_reason in (CANCELLED, INTERRUPTED, FAILED)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ChatResult:
    text: str
    stats: ChatStats


Translate = Callable[[Exception], HearthError]


class ChatStream:
    """Iterate for ``str`` deltas (once). Afterwards ``text`` and ``stats`` hold the whole reply."""

    def __init__(self, stream: openai.Stream[Any], *, started: float, chat: bool, translate: Translate) -> None:
        self._stream = stream
        self._started = started
        self._chat = chat
        self._translate = translate
        self._parts: list[str] = []
        self._cancelled = False
        self._reader: int | None = None
        self._lock = threading.Lock()
        self.stats: ChatStats | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def __enter__(self) -> ChatStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.stats is None:
            self.cancel()

    def result(self) -> ChatResult:
        """Read the rest of the stream and return the whole reply."""
        for _ in self:
            pass
        assert self.stats is not None
        return ChatResult(self.text, self.stats)

    def cancel(self) -> None:
        """Stop the reply (thread-safe). The loop over this stream then ends; stats say "cancelled"."""
        with self._lock:
            self._cancelled = True
            reader = self._reader
        if reader is not None and reader != threading.get_ident():
            _shutdown(self._stream)  # wakes the reading thread; it closes the response itself
        else:
            self._stream.close()

    def __iter__(self) -> Iterator[str]:
        import openai  # loaded by the client that made the stream: a cheap lookup here
        with self._lock:
            if self._reader is not None or self.stats is not None:
                raise RuntimeError("a ChatStream can be read only once")
            self._reader = threading.get_ident()
        first = last = None
        chunks = 0
        finish: str | None = None
        usage: Any = None
        model: str | None = None
        ended_early: str | None = None  # the finish reason when the loop did not run to its end
        try:
            for chunk in self._stream:
                if self._cancelled:
                    break
                model = getattr(chunk, "model", None) or model
                usage = getattr(chunk, "usage", None) or usage
                for choice in chunk.choices or []:
                    piece = (choice.delta.content if self._chat else choice.text) or ""
                    finish = choice.finish_reason or finish
                    if piece:
                        last = time.perf_counter()
                        first = first or last
                        chunks += 1
                        self._parts.append(piece)
                        yield piece
        except (openai.APIError, OSError) as exc:
            if not self._cancelled:
                ended_early = FAILED
                raise self._translate(exc) from exc
        except BaseException:  # the caller left its loop (GeneratorExit) or pressed Ctrl-C
            self._cancelled = True
            raise
        finally:
            self._stream.close()
            with self._lock:
                self._reader = None
            if self._cancelled:
                ended_early = CANCELLED
            if ended_early is not None:
                self.stats = self._stats(first, last, chunks, ended_early, usage, model)
        if self.stats is None:
            self.stats = self._stats(first, last, chunks, finish or INTERRUPTED, usage, model)

    def _stats(self, first: float | None, last: float | None, chunks: int, finish: str,
               usage: Any, model: str | None) -> ChatStats:
        end = time.perf_counter()
        prompt = getattr(usage, "prompt_tokens", None) if usage is not None else None
        completion = getattr(usage, "completion_tokens", None) if usage is not None else None
        reported = completion is not None
        completion = completion if completion is not None else chunks
        ttft = first - self._started if first is not None else None
        rate = None
        if first is not None and last is not None and last > first and completion > 1:
            rate = (completion - 1) / (last - first)
        prompt_rate = prompt / ttft if prompt and ttft else None
        return ChatStats(prompt, completion, ttft, end - self._started, rate, prompt_rate, finish, reported, model)


def _shutdown(stream: openai.Stream[Any]) -> None:
    """Shut the stream's socket down so a blocked read returns (closing alone would not wake it)."""
    try:
        network = stream.response.extensions.get("network_stream")
        sock = network.get_extra_info("socket") if network is not None else None
        if isinstance(sock, socket.socket):
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: the reader has finished anyway
