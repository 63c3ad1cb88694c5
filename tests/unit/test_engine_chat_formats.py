"""Gemma files without a template keep the conversation's system prompt (llama-cpp-python's own format drops it)."""

from __future__ import annotations

import pytest
from llama_cpp import llama_chat_format

from hearth.engine import chat_formats

pytestmark = pytest.mark.llama


def test_the_system_prompt_opens_the_first_user_turn() -> None:
    result = chat_formats.format_gemma([
        {"role": "system", "content": "Answer in French."},
        {"role": "user", "content": "Hello"},
        {"role": "assistant", "content": "Bonjour"},
        {"role": "user", "content": [{"type": "text", "text": "How are you?"}]},
    ])
    assert result.prompt == ("<start_of_turn>user\nAnswer in French.\n\nHello<end_of_turn>\n"
                             "<start_of_turn>model\nBonjour<end_of_turn>\n"
                             "<start_of_turn>user\nHow are you?<end_of_turn>\n<start_of_turn>model\n")
    assert result.stop == "<end_of_turn>\n"


def test_without_a_system_prompt_it_matches_the_built_in_format() -> None:
    messages = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hey"},
                {"role": "user", "content": "Bye"}]
    built_in = llama_chat_format.format_gemma(messages)  # type: ignore[arg-type]
    assert chat_formats.format_gemma(messages).prompt == built_in.prompt


def test_register_replaces_the_gemma_handler() -> None:
    registry = llama_chat_format.LlamaChatCompletionHandlerRegistry()
    before = registry.get_chat_completion_handler_by_name("gemma")
    chat_formats.register()
    after = registry.get_chat_completion_handler_by_name("gemma")
    assert after is not before
    registry.register_chat_completion_handler("gemma", before, overwrite=True)  # leave the process as found
