"""Writes tiny but real GGUF models with the ``gguf`` package.

The test suite and ``hearth --self-test`` use them, so neither needs a download.

The llama-architecture files carry random weights and a real SentencePiece-style
vocabulary (control tokens, 256 byte tokens, word pieces), so llama.cpp loads
them and generates (nonsense) text. Options choose the license, chat template,
quantisation and sizes; ``write_split_gguf`` spreads tensors over several parts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gguf
import numpy as np

CHAT_TEMPLATE = (
    "{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}</s>\n"
    "{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
_WORDS = ["the", "a", "and", "of", "to", "in", "is", "it", "you", "that", "he", "was", "for",
          "on", "are", "with", "as", "I", "his", "they", "be", "at", "one", "have", "this",
          "hello", "world", "model", "local", "hearth", "fire", "warm", "cat", "dog", "tea"]
_QUANTS = {
    "F32": (gguf.GGMLQuantizationType.F32, gguf.LlamaFileType.ALL_F32),
    "F16": (gguf.GGMLQuantizationType.F16, gguf.LlamaFileType.MOSTLY_F16),
    "Q8_0": (gguf.GGMLQuantizationType.Q8_0, gguf.LlamaFileType.MOSTLY_Q8_0),
}


def vocabulary() -> tuple[list[str], list[float], list[int]]:
    """Tokens, scores and token types for a small SentencePiece ('llama') vocabulary."""
    tokens = ["<unk>", "<s>", "</s>"]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL]
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [gguf.TokenType.BYTE] * 256
    pieces = ["▁"] + [f"▁{w}" for w in _WORDS] + list("abcdefghijklmnopqrstuvwxyz.,!?")
    tokens += pieces
    types += [gguf.TokenType.NORMAL] * len(pieces)
    scores = [0.0] * (3 + 256) + [-float(i) for i in range(len(pieces))]
    return tokens, scores, [int(t) for t in types]


def _add_common(writer: gguf.GGUFWriter, *, name: str, license: str | None, chat_template: str | None,
                n_embd: int, n_layer: int, n_head: int, n_head_kv: int, n_ff: int,
                context_length: int, file_type: int, arch: str) -> None:
    writer.add_name(name)
    writer.add_basename(name.lower().replace(" ", "-"))
    writer.add_size_label("tiny")
    if license is not None:
        writer.add_license(license)
    writer.add_context_length(context_length)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_head_kv)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(n_embd // n_head)
    writer.add_file_type(int(file_type))
    tokens, scores, types = vocabulary()
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(0)
    if chat_template is not None:
        writer.add_chat_template(chat_template)


def _tensors(n_embd: int, n_layer: int, n_head: int, n_head_kv: int, n_ff: int,
             seed: int) -> list[tuple[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    vocab = len(vocabulary()[0])
    kv_dim = n_embd // n_head * n_head_kv

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.05).astype(np.float32)

    out = [("token_embd.weight", w(vocab, n_embd)), ("output_norm.weight", np.ones(n_embd, np.float32)),
           ("output.weight", w(vocab, n_embd))]
    for i in range(n_layer):
        p = f"blk.{i}."
        out += [
            (p + "attn_norm.weight", np.ones(n_embd, np.float32)),
            (p + "attn_q.weight", w(n_embd, n_embd)), (p + "attn_k.weight", w(kv_dim, n_embd)),
            (p + "attn_v.weight", w(kv_dim, n_embd)), (p + "attn_output.weight", w(n_embd, n_embd)),
            (p + "ffn_norm.weight", np.ones(n_embd, np.float32)),
            (p + "ffn_gate.weight", w(n_ff, n_embd)), (p + "ffn_down.weight", w(n_embd, n_ff)),
            (p + "ffn_up.weight", w(n_ff, n_embd)),
        ]
    return out


def _add_tensor(writer: gguf.GGUFWriter, name: str, data: np.ndarray, qtype: gguf.GGMLQuantizationType) -> None:
    if data.ndim == 1 or qtype == gguf.GGMLQuantizationType.F32:
        writer.add_tensor(name, data)
    elif qtype == gguf.GGMLQuantizationType.F16:
        writer.add_tensor(name, data.astype(np.float16))
    else:
        writer.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)


def write_tiny_gguf(
    path: str | Path,
    *,
    name: str = "Tiny Llama",
    license: str | None = "apache-2.0",
    chat_template: str | None = CHAT_TEMPLATE,
    quant: str = "F16",
    n_embd: int = 64,
    n_layer: int = 2,
    n_head: int = 4,
    n_head_kv: int = 2,
    n_ff: int = 128,
    context_length: int = 512,
    arch: str = "llama",
    extra: dict[str, Any] | None = None,
    seed: int = 0,
) -> Path:
    """Write a loadable tiny model to ``path`` and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    qtype, file_type = _QUANTS[quant]
    writer = gguf.GGUFWriter(str(path), arch)
    _add_common(writer, name=name, license=license, chat_template=chat_template, n_embd=n_embd,
                n_layer=n_layer, n_head=n_head, n_head_kv=n_head_kv, n_ff=n_ff,
                context_length=context_length, file_type=file_type, arch=arch)
    for key, value in (extra or {}).items():
        _add_extra(writer, key, value)
    for tname, data in _tensors(n_embd, n_layer, n_head, n_head_kv, n_ff, seed):
        _add_tensor(writer, tname, data, qtype)
    _finish(writer)
    return path


def write_split_gguf(folder: str | Path, stem: str, parts: int = 3, **options: Any) -> list[Path]:
    """Write a tiny model split into ``parts`` files named ``stem-0000N-of-0000M.gguf``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    quant = options.pop("quant", "F16")
    qtype, file_type = _QUANTS[quant]
    dims = {k: options.pop(k) for k in ("n_embd", "n_layer", "n_head", "n_head_kv", "n_ff") if k in options}
    full = dict(n_embd=64, n_layer=2, n_head=4, n_head_kv=2, n_ff=128) | dims
    tensors = _tensors(**full, seed=options.pop("seed", 0))
    chunks = [tensors[i::parts] for i in range(parts)]
    paths = []
    for index, chunk in enumerate(chunks):
        path = folder / f"{stem}-{index + 1:05d}-of-{parts:05d}.gguf"
        writer = gguf.GGUFWriter(str(path), "llama")
        if index == 0:
            _add_common(writer, name=options.get("name", "Tiny Split"), license=options.get("license", "mit"),
                        chat_template=options.get("chat_template", CHAT_TEMPLATE), context_length=512,
                        file_type=file_type, arch="llama", **full)
        writer.add_uint16("split.no", index)
        writer.add_uint16("split.count", parts)
        writer.add_int32("split.tensors.count", len(tensors))
        for tname, data in chunk:
            _add_tensor(writer, tname, data, qtype)
        _finish(writer)
        paths.append(path)
    return paths


def _add_extra(writer: gguf.GGUFWriter, key: str, value: Any) -> None:
    if isinstance(value, bool):
        writer.add_bool(key, value)
    elif isinstance(value, int):
        writer.add_uint32(key, value) if value >= 0 else writer.add_int32(key, value)
    elif isinstance(value, float):
        writer.add_float32(key, value)
    elif isinstance(value, str):
        writer.add_string(key, value)
    else:
        writer.add_array(key, value)


def _finish(writer: gguf.GGUFWriter) -> None:
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
