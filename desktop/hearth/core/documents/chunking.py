"""Token-aware chunks with overlap, each knowing where it came from (characters, lines, page).

The chunker only needs a ``count_tokens(text) -> int`` function (the embedding
model's own tokenizer, or :func:`hearth.core.embeddings.approx_token_count`).
It guesses a chunk's end from the characters-per-token seen so far, snaps it to
a natural break (blank line, line end, sentence end, space), and checks the
guess with ``count_tokens``, shrinking or growing until the chunk fits. A chunk
therefore never exceeds ``chunk_tokens`` as the model counts, and the counter
is called only a few times per chunk (it may be a request to an engine).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hearth.core.documents.errors import DocumentsError

CountTokens = Callable[[str], int]
_BREAKS = ("\n\n", "\n", ". ", "? ", "! ", "; ", " ")
_FIT = 0.85  # a chunk between 85% and 100% of the budget is good enough
_MAX_TRIES = 8
_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class ChunkSettings:
    """How a collection cuts its texts: chunk size and overlap, in the model's tokens."""

    chunk_tokens: int = 256
    overlap_tokens: int = 32

    def validate(self) -> None:
        if not 16 <= self.chunk_tokens <= 8192:
            raise DocumentsError("The chunk size must be between 16 and 8192 tokens.")
        if not 0 <= self.overlap_tokens <= self.chunk_tokens // 2:
            raise DocumentsError("The overlap must be between 0 and half the chunk size.")


@dataclass(frozen=True)
class Chunk:
    """A piece of a document: ``text == document_text[char_start:char_end]``.

    Lines are 1-based and inclusive; ``page`` is the 1-based PDF page the chunk
    starts on, None for other kinds of file.
    """

    seq: int
    text: str
    char_start: int
    char_end: int
    line_start: int
    line_end: int
    page: int | None = None


def chunk_text(text: str, count_tokens: CountTokens, settings: ChunkSettings = ChunkSettings(),
               page_starts: Sequence[int] = ()) -> list[Chunk]:
    """Cut ``text`` into overlapping chunks of at most ``settings.chunk_tokens`` tokens."""
    settings.validate()
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    chunks: list[Chunk] = []
    ratio = 4.0  # characters per token; refined with every count
    start = _skip_space(text, 0, len(text))
    while start < len(text):
        end, tokens = _fit(text, start, settings.chunk_tokens, ratio, count_tokens)
        ratio = max(0.5, (end - start) / max(tokens, 1))
        lo, hi = start, end
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        if hi > lo:
            chunks.append(Chunk(
                seq=len(chunks), text=text[lo:hi], char_start=lo, char_end=hi,
                line_start=bisect_left(newlines, lo) + 1, line_end=bisect_left(newlines, hi - 1) + 1,
                page=max(1, bisect_right(page_starts, lo)) if page_starts else None,
            ))
        if end >= len(text):
            break
        start = _next_start(text, start, end, settings.overlap_tokens, ratio)
    return chunks


def _fit(text: str, start: int, budget: int, ratio: float, count_tokens: CountTokens) -> tuple[int, int]:
    """The end of the longest chunk from ``start`` that the tries find within ``budget`` tokens."""
    best_end, best_tokens = 0, 0
    smallest_over = len(text) + 1
    guess = start + max(1, int(budget * ratio))
    tried: set[int] = set()
    for _ in range(_MAX_TRIES):
        end = _snap(text, start, min(guess, smallest_over - 1))
        if end in tried:
            break
        tried.add(end)
        tokens = count_tokens(text[start:end])
        if tokens <= budget:
            if end > best_end:
                best_end, best_tokens = end, tokens
            if end >= len(text) or tokens >= budget * _FIT:
                break
        else:
            smallest_over = min(smallest_over, end)
        if smallest_over - best_end <= 1 and best_end:
            break
        scale = budget / max(tokens, 1) * (0.97 if tokens > budget else 1.0)
        guess = start + max(1, int((end - start) * scale))
        if guess <= best_end:
            guess = best_end + max(1, (smallest_over - best_end) // 2)
    if not best_end:  # every try was over budget (no breaks in sight): bisect for a hard cut
        low, high = start + 1, min(smallest_over, len(text)) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if count_tokens(text[start:middle]) <= budget:
                low = middle
            else:
                high = middle - 1
        best_end, best_tokens = low, count_tokens(text[start:low])
    return best_end, best_tokens


def _snap(text: str, start: int, end: int) -> int:
    """Move ``end`` back to the best natural break in the last 40% of the span (or keep it)."""
    if end >= len(text):
        return len(text)
    floor = start + (end - start) * 3 // 5
    for sep in _BREAKS:
        at = text.rfind(sep, floor, end)
        if at > start:
            return at + len(sep)
    return max(end, start + 1)


def _next_start(text: str, start: int, end: int, overlap: int, ratio: float) -> int:
    """Where the next chunk begins: about ``overlap`` tokens before ``end``, at a word start."""
    if overlap <= 0:
        return _skip_space(text, end, len(text))
    back = max(start + 1, end - int(overlap * ratio))
    space = text.find(" ", back, end)
    line = text.find("\n", back, end)
    cut = min((p for p in (space, line) if p >= 0), default=-1)
    begin = cut + 1 if cut >= 0 else back
    return _skip_space(text, max(begin, start + 1), end)


def _skip_space(text: str, at: int, limit: int) -> int:
    while at < limit and text[at].isspace():
        at += 1
    return at
