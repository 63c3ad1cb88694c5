"""Engine-process-only fixes to llama-cpp-python's built-in chat formats. Never import in the GUI.

The built-in "gemma" format (used for Gemma files without a template) drops the
system message without a word, so a conversation's system prompt would silently
do nothing. Google's own Gemma template puts the system text at the start of the
first user turn; :func:`format_gemma` does the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_cpp import llama_chat_format

_USER, _MODEL, _END = "<start_of_turn>user\n", "<start_of_turn>model\n", "<end_of_turn>\n"


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # OpenAI content parts: keep the text ones
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def format_gemma(messages: Sequence[dict[str, Any]], **_kwargs: Any) -> llama_chat_format.ChatFormatterResponse:
    system = "\n\n".join(_text(m.get("content")) for m in messages if m.get("role") == "system").strip()
    prompt = ""
    for message in messages:
        role, text = message.get("role"), _text(message.get("content"))
        if role == "user":
            if system:
                text, system = f"{system}\n\n{text}", ""
            prompt += f"{_USER}{text}{_END}"
        elif role == "assistant":
            prompt += f"{_MODEL}{text}{_END}"
    if system:  # a system prompt and no user turn yet
        prompt += f"{_USER}{system}{_END}"
    return llama_chat_format.ChatFormatterResponse(prompt=prompt + _MODEL, stop=_END)


def register() -> None:
    """Replace the built-in formats above in this process's registry."""
    handler = llama_chat_format.chat_formatter_to_chat_completion_handler(format_gemma)  # type: ignore[arg-type]
    llama_chat_format.LlamaChatCompletionHandlerRegistry().register_chat_completion_handler(
        "gemma", handler, overwrite=True)
