"""A model's facts as labelled rows for the details panel (plain Python, no widgets)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hearth.core.model_entry import SOURCE_HUB, SOURCE_IMPORTED, ModelEntry
from hearth.core.units import human_bytes, human_context, human_count

#: Rows whose values are paths or hashes: shown as one scrollable line each.
LONG_VALUES = frozenset({"Path", "Files", "SHA-256", "Original file", "Folder", "Repository", "Revision",
                         "File name"})
_POOLING = {0: "none", 1: "mean", 2: "CLS token", 3: "last token", 4: "rank"}
_SOURCE_KIND = {SOURCE_HUB: "Downloaded from the Hugging Face Hub", SOURCE_IMPORTED: "Imported file",
                "folder": "Found in a model folder"}


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[tuple[str, str]]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _num(value: int | None) -> str:
    return f"{value:,}" if value is not None else "—"


def _text(value: str | None) -> str:
    return value if value else "—"


def sections_for(entry: ModelEntry) -> list[Section]:
    """Model, Files and Source sections, every field present (— when unknown)."""
    return [_model_section(entry), _files_section(entry), _source_section(entry)]


def _model_section(entry: ModelEntry) -> Section:
    f = entry.facts
    if f is None:
        return Section("Model", [("Header", entry.error or "could not be read")])
    params = f"{human_count(f.parameters)} ({f.parameters:,})" if f.parameters else "—"
    context = f"{human_context(f.context_length)} tokens ({f.context_length:,})" if f.context_length else "—"
    file_type = f"{f.file_type}" if f.file_type is not None else "—"
    pooling = "—" if f.pooling_type is None else _POOLING.get(f.pooling_type, str(f.pooling_type))
    return Section("Model", [
        ("Name", _text(f.name)),
        ("Base name", _text(f.basename)),
        ("Architecture", _text(f.architecture)),
        ("Size label", _text(f.size_label)),
        ("Parameters", params),
        ("Quantization", _text(f.quantization)),
        ("File type", file_type),
        ("Context length", context),
        ("Embedding length", _num(f.embedding_length)),
        ("Layers", _num(f.block_count)),
        ("Attention heads", _num(f.head_count)),
        ("KV heads", _num(f.head_count_kv)),
        ("Vocabulary", _num(f.vocab_size)),
        ("License", _text(f.license)),
        ("Chat template", _yes_no(f.has_chat_template)),
        ("Embedding model", _yes_no(f.is_embedding)),
        ("Pooling", pooling),
    ])


def _files_section(entry: ModelEntry) -> Section:
    f = entry.facts
    rows = [
        ("Size on disk", f"{human_bytes(entry.size_bytes)} ({entry.size_bytes:,} bytes)"),
        ("Path", str(entry.path)),
    ]
    if len(entry.parts) > 1:
        rows.append(("Files", "\n".join(str(p) for p in entry.parts)))
    if f is not None:
        rows.append(("Parts", f"{len(entry.parts)} of {f.split_count}"))
    if entry.missing_parts:
        rows.append(("Missing parts", ", ".join(str(n) for n in entry.missing_parts)))
    if f is not None:
        rows += [
            ("GGUF version", str(f.gguf_version)),
            ("Tensors", _num(f.tensor_count)),
            ("Data offset", _num(f.data_offset)),
            ("Data end", _num(f.data_end)),
            ("Data complete", _yes_no(f.data_complete)),
        ]
    rows.append(("Usable", _yes_no(entry.usable)))
    return Section("Files", rows)


def _source_section(entry: ModelEntry) -> Section:
    s = entry.source
    rows = [("Source", _SOURCE_KIND.get(s.kind, s.kind))]
    if s.repo_id:
        rows.append(("Repository", s.repo_id))
    if s.revision:
        rows.append(("Revision", s.revision))
    if s.filename:
        rows.append(("File name", s.filename))
    if s.origin:
        rows.append(("Original file", s.origin))
    rows += [
        ("SHA-256", s.sha256 or "not recorded"),
        ("Folder", str(entry.folder)),
        ("Added", entry.added_at.replace("T", " ").replace("+00:00", " UTC")),
        ("Library id", entry.id),
    ]
    return Section("Source", rows)


def _format_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def metadata_rows(entry: ModelEntry) -> list[tuple[str, str]]:
    """Every header key and its (shortened) value, sorted by key."""
    if entry.facts is None:
        return []
    return [(key, _format_value(value)) for key, value in sorted(entry.facts.metadata.items())]
