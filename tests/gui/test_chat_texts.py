"""The Chat page's pure helpers: fenced code splitting and highlighting, stats words, titles, sampling defaults."""

from __future__ import annotations

from typing import Any

from hearth.ui.chat.conversation_actions import file_stem
from hearth.ui.chat.markdown_html import render, split_fences
from hearth.ui.chat.params_panel import DEFAULTS, sampling_params
from hearth.ui.chat.stats_text import context_text, context_used, stats_line
from hearth.ui.chat.turns import title_for


def test_fences_split_prose_from_code_and_an_open_fence_runs_to_the_end() -> None:
    pieces = split_fences("Intro\n```python\nx = 1\n```\nOutro\n```\nstill streaming")
    assert [(kind, lang) for kind, _body, lang in pieces] == [
        ("text", None), ("code", "python"), ("text", None), ("code", None)]
    assert pieces[1][1] == "x = 1" and pieces[3][1] == "still streaming"


def test_render_highlights_code_and_links_each_block_to_a_copy(qapp: Any) -> None:
    rendered = render("Use **this**:\n\n```python\ndef f():\n    return '<b>'\n```\nand ```js\nlet a\n```")
    assert rendered.code_blocks[0] == "def f():\n    return '<b>'"
    assert 'href="copy:0"' in rendered.html and "font-weight" in rendered.html
    assert "&lt;b&gt;" in rendered.html, "code is escaped, never rendered as HTML"
    assert render("```nosuchlanguage\nplain\n```").code_blocks == ["plain"]


def test_stats_line_and_context_words() -> None:
    stats = {"prompt_tokens": 1200, "completion_tokens": 40, "time_to_first_token": 0.2134,
             "tokens_per_second": 31.25, "finish_reason": "length", "usage_reported": True}
    assert stats_line(stats) == (
        "1,200 prompt tokens · 40 tokens · first token 0.21 s · 31.2 tokens/s · hit the token limit")
    assert stats_line({"completion_tokens": 3, "usage_reported": False, "finish_reason": "cancelled"}) == (
        "~3 tokens · stopped")
    assert stats_line(None) == "" and context_used(stats) == 1240 and context_used({}) is None
    assert context_text(1240, 2048) == "Context: 1,240 / 2,048 tokens (61%)"
    assert context_text(None, None) == "Context: no model loaded"


def test_titles_file_names_and_sampling_defaults() -> None:
    assert title_for("  short question\nsecond line") == "short question"
    assert len(title_for("x" * 200)) == 48 and title_for("x" * 200).endswith("…")
    assert file_stem("Reverse a string / in Python?") == "Reverse-a-string-in-Python" and file_stem("///") == "chat"
    params = sampling_params({})
    assert params.temperature == DEFAULTS["temperature"] and params.seed is None
    assert sampling_params({"seed": 5, "top_k": 10, "unknown": 1}).to_dict()["seed"] == 5


def test_load_settings_dialog_round_trips_and_automatic_means_none(qtbot: Any) -> None:
    from hearth.engine.load_settings import LoadSettings
    from hearth.ui.chat.load_settings_dialog import LoadSettingsDialog

    chosen = LoadSettings(context_length=8192, gpu_layers=-1, threads=3, batch_size=256, flash_attention=True,
                          use_mmap=False, use_mlock=True, chat_format="llama-3")
    dialog = LoadSettingsDialog("Tiny", chosen)
    qtbot.addWidget(dialog)
    assert dialog.result_settings() == chosen
    dialog.context.setValue(dialog.context.minimum())
    dialog.gpu_layers.setValue(dialog.gpu_layers.minimum())
    dialog.chat_format.setCurrentIndex(0)
    result = dialog.result_settings()
    assert result.context_length is None and result.gpu_layers is None and result.chat_format is None
    assert dialog.context.text() == "Automatic"
    dialog._show(LoadSettings())
    assert dialog.result_settings() == LoadSettings()
