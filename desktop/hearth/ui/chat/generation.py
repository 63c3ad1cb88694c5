"""One streamed reply, generated on a worker thread and shown on the GUI thread in ~40 ms batches.

The worker thread iterates the engine's stream and appends each delta to a
locked buffer; a GUI-thread timer takes what has gathered and emits ``text``
with the whole reply so far, so a fast model costs one repaint per tick, not
one per token. An optional ``retrieval`` callable also runs on the worker thread
first; the excerpt block it returns is put before the last user message.
:meth:`Generation.stop` cancels the stream (closing its socket);
the reply then ends with finish reason "cancelled" and is saved as partial.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from hearth.engine.client import EngineClient, Message, SamplingParams
from hearth.engine.stream import CANCELLED, ChatStats, ChatStream
from hearth.ui.worker import ProgressFn, StopFn, Worker

log = logging.getLogger(__name__)

FLUSH_MS = 40


@dataclass(frozen=True)
class Reply:
    """How a generation ended: the text, its stats, and the error that cut it short (if any)."""

    text: str
    stats: ChatStats | None
    error: Exception | None = None
    #: What :mod:`hearth.ui.chat.documents_picker` retrieved and sent ("collection", "prompt", "citations").
    documents: dict[str, Any] | None = None
    documents_note: str | None = None  # why no documents were sent though some were asked for

    @property
    def partial(self) -> bool:
        return self.error is not None or self.stats is None or self.stats.partial


class Generation(QObject):
    """``text(str)`` while it streams (the reply so far), then ``ended(Reply)`` once."""

    text = Signal(str)
    ended = Signal(object)

    def __init__(self, connect: Callable[[], EngineClient], messages: Sequence[Message], params: SamplingParams,
                 parent: QObject | None = None, pool: QThreadPool | None = None,
                 retrieval: Callable[[], dict[str, Any] | None] | None = None) -> None:
        super().__init__(parent)
        self._retrieval = retrieval
        self.documents: dict[str, Any] | None = None
        self.documents_note: str | None = None
        self._connect = connect  # called on the worker: building a client can take tens of ms (TLS set-up)
        self._messages = [dict(m) for m in messages]
        self._params = params
        self._pool = pool
        self._lock = threading.Lock()
        self._parts: list[str] = []
        self._dirty = False
        self._stream: ChatStream | None = None
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._flush)
        self._worker = Worker(self._run, parent=self)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(lambda message: self._end(None, RuntimeError(message)))
        self._worker.cancelled.connect(lambda: self._end(None, None))
        self.running = False

    def start(self) -> None:
        self.running = True
        self._timer.start()
        self._worker.start(self._pool)

    def stop(self) -> None:
        """Cancel the reply (any thread-safe moment); the part already generated is kept."""
        with self._lock:
            self._stopped = True
            stream = self._stream
        if stream is not None:
            stream.cancel()

    def current_text(self) -> str:
        with self._lock:
            return "".join(self._parts)

    # ---- worker thread -------------------------------------------------------------------
    def _run(self, _progress: ProgressFn, _should_stop: StopFn) -> Any:
        try:
            client = self._connect()
        except Exception as exc:  # reported as the reply's error
            return exc
        try:
            return self._stream_reply(client)
        finally:
            client.close()  # each generation has its own client: free its connections

    def _add_documents(self) -> None:
        if self._retrieval is None:
            return
        try:
            documents = self._retrieval()
        except Exception as exc:  # the reply still comes, just without excerpts
            log.warning("document retrieval failed: %s", exc)
            self.documents_note = f"No documents were sent: {exc}"
            return
        if documents is None:
            self.documents_note = "No excerpts in the attached documents matched this message."
            return
        for message in reversed(self._messages):
            if message.get("role") == "user":
                # prefixed to the user turn: every chat template accepts that, not all accept a late system turn
                message["content"] = f"{documents['prompt']}\n\n{message['content']}"
                self.documents = documents
                return

    def _stream_reply(self, client: EngineClient) -> Any:
        self._add_documents()
        try:
            stream = client.stream_chat(self._messages, self._params)
        except Exception as exc:  # reported as the reply's error, with whatever was kept
            return exc
        with self._lock:
            self._stream = stream
            stopped = self._stopped
        if stopped:
            stream.cancel()
        try:
            for piece in stream:
                with self._lock:
                    self._parts.append(piece)
                    self._dirty = True
        except Exception as exc:
            return exc
        return stream.stats

    # ---- GUI thread ----------------------------------------------------------------------
    def _flush(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            self._dirty = False
            text = "".join(self._parts)
        self.text.emit(text)

    def _finished(self, outcome: object) -> None:
        if isinstance(outcome, Exception):
            self._end(None, outcome)
        else:
            self._end(outcome if isinstance(outcome, ChatStats) else None, None)

    def _end(self, stats: ChatStats | None, error: Exception | None) -> None:
        self._timer.stop()
        self._flush()
        self.running = False
        text = self.current_text()
        if stats is None and error is None:
            error = RuntimeError(CANCELLED)
        if stats is not None and self._stopped and not stats.partial:
            log.debug("stop came after the reply had finished")
        self.ended.emit(Reply(text, stats, error, self.documents, self.documents_note))
