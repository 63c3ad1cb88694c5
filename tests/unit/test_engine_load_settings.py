"""Load settings: automatic values from the file's facts and free memory, and the per-model JSON file."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from hearth.core.errors import SettingsError
from hearth.core.fit import RAM_RESERVE, estimate_memory
from hearth.core.fit_inputs import shape_from_facts
from hearth.core.paths import Paths
from hearth.engine.load_settings import (
    DEFAULT_CONTEXT_CAP,
    FALLBACK_CONTEXT,
    MIN_CONTEXT,
    LoadSettings,
    LoadSettingsStore,
    context_for_memory,
    kv_cache_bytes,
    physical_cores,
    resolve_load_settings,
)
from tests.helpers.engines import entry_for

TinyGGUF = Callable[..., Path]
GB = 1_000_000_000


def test_kv_cache_follows_the_formula(tiny_gguf: TinyGGUF) -> None:
    facts = entry_for(tiny_gguf(n_embd=128, n_head=8, n_head_kv=4, n_layer=3)).facts
    assert facts is not None
    head_dim = 128 // 8
    assert kv_cache_bytes(facts, 1000) == 2 * 3 * 1000 * 4 * head_dim * 2


def test_key_length_metadata_wins_over_embedding_over_heads(tiny_gguf: TinyGGUF) -> None:
    facts = entry_for(tiny_gguf(extra={"llama.attention.key_length": 32, "llama.attention.value_length": 32})).facts
    assert facts is not None
    assert kv_cache_bytes(facts, 10) == 2 * 2 * 10 * 2 * 32 * 2


def test_defaults_come_from_the_file(tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf(context_length=1024))
    resolved = resolve_load_settings(entry, available_memory=16 * GB)
    assert resolved.n_ctx == 1024 and resolved.notes == ()
    assert resolved.n_threads == physical_cores() >= 1
    assert resolved.n_gpu_layers is None  # decided by the engine, which can ask llama.cpp
    assert resolved.chat_format is None  # the file's own template
    assert resolved.use_mmap and not resolved.use_mlock and not resolved.flash_attn and not resolved.embedding


def test_a_huge_trained_context_is_capped_with_a_note(tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf(context_length=131072))
    resolved = resolve_load_settings(entry, available_memory=64 * GB)
    assert resolved.n_ctx == DEFAULT_CONTEXT_CAP
    assert any("131,072" in note for note in resolved.notes)


def test_context_shrinks_to_fit_free_memory(tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf(context_length=8192, n_embd=256, n_head=4, n_head_kv=4, n_layer=4))
    assert entry.facts is not None
    per_token = kv_cache_bytes(entry.facts, 1)
    assert per_token == 2 * 4 * 4 * 64 * 2
    full = resolve_load_settings(entry, available_memory=64 * GB)
    assert full.n_ctx == 8192
    fixed = estimate_memory(entry.size_bytes, shape_from_facts(entry.facts), context=1)
    tight = RAM_RESERVE + fixed.weights + fixed.overhead + 3000 * per_token
    assert context_for_memory(entry.facts, 8192, entry.size_bytes, tight) == 2816  # 3000 rounded down to 256s
    resolved = resolve_load_settings(entry, available_memory=tight)
    assert resolved.n_ctx == 2816 and any("free memory" in note for note in resolved.notes)


def test_context_never_drops_below_the_minimum(tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf(context_length=4096))
    assert resolve_load_settings(entry, available_memory=0).n_ctx == MIN_CONTEXT


def test_unknown_context_uses_the_fallback(tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf())
    assert entry.facts is not None
    entry = replace(entry, facts=replace(entry.facts, context_length=None))
    assert resolve_load_settings(entry, available_memory=64 * GB).n_ctx == FALLBACK_CONTEXT


def test_user_choices_win(tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf(chat_template=None))
    chosen = LoadSettings(context_length=300, gpu_layers=-1, threads=3, batch_size=64, flash_attention=True,
                          use_mmap=False, use_mlock=True, chat_format="llama-2")
    resolved = resolve_load_settings(entry, chosen, available_memory=0)
    assert (resolved.n_ctx, resolved.n_gpu_layers, resolved.n_threads, resolved.n_batch) == (300, -1, 3, 64)
    assert resolved.flash_attn and not resolved.use_mmap and resolved.use_mlock
    assert resolved.chat_format == "llama-2" and resolved.notes == ()


@pytest.mark.parametrize(("arch", "expected"), [("llama", "chatml"), ("gemma3", "gemma"), ("qwen2", "chatml")])
def test_files_without_a_template_get_a_family_format(tiny_gguf: TinyGGUF, arch: str, expected: str) -> None:
    entry = entry_for(tiny_gguf(chat_template=None, arch=arch))
    resolved = resolve_load_settings(entry, available_memory=64 * GB)
    assert resolved.chat_format == expected
    assert any("no chat template" in note for note in resolved.notes)
    assert resolve_load_settings(entry, embedding=True, available_memory=64 * GB).chat_format is None


@pytest.mark.parametrize("bad", [
    LoadSettings(context_length=0), LoadSettings(gpu_layers=-2), LoadSettings(threads=0),
    LoadSettings(batch_size=0), LoadSettings(chat_format=" "),
])
def test_invalid_choices_are_refused(bad: LoadSettings) -> None:
    with pytest.raises(ValueError):
        bad.validate()


def test_the_store_remembers_per_model(paths: Paths) -> None:
    store = LoadSettingsStore.open(paths)
    assert store.get("abc") == LoadSettings()
    store.set("abc", LoadSettings(context_length=2048, threads=2, chat_format="chatml"))
    again = LoadSettingsStore.open(paths)
    assert again.get("abc") == LoadSettings(context_length=2048, threads=2, chat_format="chatml")
    assert again.get("other") == LoadSettings()
    again.reset("abc")
    assert LoadSettingsStore.open(paths).get("abc") == LoadSettings()


def test_the_store_ignores_mistyped_values(paths: Paths) -> None:
    store = LoadSettingsStore.open(paths)
    store.path.write_text(json.dumps({"version": 1, "models": {
        "m": {"context_length": "big", "threads": True, "use_mlock": 1, "batch_size": 128, "chat_format": 5},
        "bad": {"threads": -4},
    }}))
    store = LoadSettingsStore.open(paths)
    assert store.get("m") == LoadSettings(batch_size=128)
    assert store.get("bad") == LoadSettings()


def test_a_broken_store_file_is_kept_aside(paths: Paths) -> None:
    path = paths.data / LoadSettingsStore.FILE_NAME
    path.write_text("{not json")
    store = LoadSettingsStore.open(paths)
    assert store.get("x") == LoadSettings()
    assert not path.exists() and list(paths.data.glob(f"{LoadSettingsStore.FILE_NAME}.corrupt-*"))


def test_saving_into_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = LoadSettingsStore(blocker / "sub" / "load.json")
    with pytest.raises(SettingsError) as caught:
        store.set("m", LoadSettings())
    assert "\n" not in str(caught.value)
