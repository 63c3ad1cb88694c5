"""Words for a reply's numbers (the line under each assistant message) and for context usage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FINISH_WORDS = {
    "stop": "finished",
    "length": "hit the token limit",
    "cancelled": "stopped",
    "interrupted": "interrupted",
    "error": "failed",
}


def stats_line(stats: Mapping[str, Any] | None) -> str:
    """``"12 prompt tokens · 40 tokens · first token 0.21 s · 35.2 tokens/s · finished"`` (missing parts left out)."""
    if not stats:
        return ""
    parts: list[str] = []
    prompt = stats.get("prompt_tokens")
    if isinstance(prompt, int):
        parts.append(f"{prompt:,} prompt tokens")
    completion = stats.get("completion_tokens")
    if isinstance(completion, int):
        approx = "" if stats.get("usage_reported", True) else "~"
        parts.append(f"{approx}{completion:,} tokens")
    ttft = stats.get("time_to_first_token")
    if isinstance(ttft, (int, float)):
        parts.append(f"first token {ttft:.2f} s")
    rate = stats.get("tokens_per_second")
    if isinstance(rate, (int, float)):
        parts.append(f"{rate:.1f} tokens/s")
    finish = stats.get("finish_reason")
    if isinstance(finish, str):
        parts.append(FINISH_WORDS.get(finish, finish))
    return " · ".join(parts)


def context_used(stats: Mapping[str, Any] | None) -> int | None:
    """Tokens the conversation filled after this reply: its prompt plus the reply itself."""
    if not stats or not isinstance(stats.get("prompt_tokens"), int):
        return None
    return int(stats["prompt_tokens"]) + int(stats.get("completion_tokens") or 0)


def context_text(used: int | None, n_ctx: int | None, *, connected: bool = False) -> str:
    if not n_ctx and connected:  # a remote engine does not report its context size
        return "Context: size unknown" if used is None else f"Context: {used:,} tokens (size unknown)"
    if not n_ctx:
        return "Context: no model loaded"
    if used is None:
        return f"Context: – / {n_ctx:,} tokens"
    return f"Context: {used:,} / {n_ctx:,} tokens ({min(100, round(100 * used / n_ctx))}%)"
