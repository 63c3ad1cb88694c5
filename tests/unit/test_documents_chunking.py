"""Token-aware chunking: budgets hold, positions are exact, overlap is there, the counter is called sparingly."""

from __future__ import annotations

import random

import pytest

from hearth.core.documents.chunking import ChunkSettings, chunk_text
from hearth.core.embeddings import approx_token_count
from hearth.core.errors import HearthError

WORDS = "the a garden of tomatoes basil water compost heap sunlight morning international".split()


def make_text(paragraphs: int = 60, seed: int = 3) -> str:
    rng = random.Random(seed)
    return "\n\n".join(
        "\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14))) + "."
                  for _ in range(rng.randint(1, 4)))
        for _ in range(paragraphs)
    )


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> int:
        self.calls += 1
        return approx_token_count(text) + 1  # like a tokenizer that adds a BOS token


@pytest.mark.parametrize("size,overlap", [(64, 8), (128, 0), (256, 32), (16, 8)])
def test_chunks_fit_the_budget_and_point_back_into_the_text(size: int, overlap: int) -> None:
    text = make_text()
    counter = Counter()
    chunks = chunk_text(text, counter, ChunkSettings(size, overlap))
    assert len(chunks) > 2
    for index, chunk in enumerate(chunks):
        assert chunk.seq == index
        assert text[chunk.char_start:chunk.char_end] == chunk.text
        assert chunk.text == chunk.text.strip()
        assert approx_token_count(chunk.text) + 1 <= size
        assert chunk.line_start == text.count("\n", 0, chunk.char_start) + 1
        assert chunk.line_end == text.count("\n", 0, chunk.char_end - 1) + 1
        assert chunk.page is None
    # Every word is in some chunk, and chunks are well filled (breaks cost at most 40%).
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.char_start, chunk.char_end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    assert all(approx_token_count(c.text) + 1 >= size * 0.5 for c in chunks[:-1])
    # The counter is asked a few times per chunk, not per word.
    assert counter.calls <= 3 * len(chunks) + 5


def test_overlap_repeats_the_end_of_the_previous_chunk() -> None:
    text = make_text()
    with_overlap = chunk_text(text, Counter(), ChunkSettings(64, 16))
    for before, after in zip(with_overlap, with_overlap[1:]):
        assert after.char_start < before.char_end
        assert before.char_start < after.char_start
    without = chunk_text(text, Counter(), ChunkSettings(64, 0))
    for before, after in zip(without, without[1:]):
        assert after.char_start >= before.char_end


def test_chunks_prefer_paragraph_breaks() -> None:
    text = "\n\n".join(["alpha " * 30, "beta " * 30, "gamma " * 30]).strip()
    chunks = chunk_text(text, approx_token_count, ChunkSettings(64, 0))
    assert [c.text.split()[0] for c in chunks] == ["alpha", "beta", "gamma"]


def test_text_without_breaks_is_cut_hard_within_budget() -> None:
    text = "x" * 5000 + " tail"
    chunks = chunk_text(text, approx_token_count, ChunkSettings(32, 4))
    assert all(approx_token_count(c.text) <= 32 for c in chunks)
    assert chunks[-1].text.endswith("tail")


def test_pages_and_tiny_inputs() -> None:
    text = "first page words\n\nsecond page words " + "more " * 100
    starts = [0, text.index("second")]
    chunks = chunk_text(text, approx_token_count, ChunkSettings(32, 0), page_starts=starts)
    assert chunks[0].page == 1 and chunks[-1].page == 2
    assert chunk_text("", approx_token_count) == []
    assert chunk_text(" \n\t ", approx_token_count) == []
    (only,) = chunk_text("  hi  ", approx_token_count)
    assert (only.text, only.char_start, only.char_end) == ("hi", 2, 4)


def test_settings_are_checked() -> None:
    with pytest.raises(HearthError, match="between 16 and 8192"):
        chunk_text("x", approx_token_count, ChunkSettings(8, 0))
    with pytest.raises(HearthError, match="half the chunk size"):
        chunk_text("x", approx_token_count, ChunkSettings(64, 40))
