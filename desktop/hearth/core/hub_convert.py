"""Turns huggingface_hub's ``ModelInfo`` into Hearth's typed repository facts.

Also groups a repository's GGUF files into downloadable units: one file per
quant, or all parts of a split model (``x-00001-of-00003.gguf`` ...), also when
the parts sit in a folder named after the quant (``Q4_K_M/x-00001-of-00002.gguf``).
Vision projectors (mmproj) are listed apart; other files are not models.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from hearth.core.hub_models import HubFile, QuantGroup, RepoSummary
from hearth.core.quants import QuantInfo, is_projector, parse_quant, parse_split_name


def _card(info: Any) -> dict[str, Any]:
    card = getattr(info, "card_data", None)
    if card is None:
        return {}
    if isinstance(card, dict):
        return card
    try:
        return dict(card.to_dict())
    except (AttributeError, TypeError):
        return {}


def _first_str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) and value else None


def _iso(value: datetime | str | None) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def summary_from_info(info: Any) -> RepoSummary:
    """A RepoSummary from a ModelInfo (from a search or from model_info)."""
    card = _card(info)
    gguf = info.gguf if isinstance(getattr(info, "gguf", None), dict) else {}
    gated = getattr(info, "gated", None)
    base = _first_str(card.get("base_model")) or _first_str(getattr(info, "base_models", None))
    author = info.author or (info.id.split("/", 1)[0] if "/" in info.id else None)
    return RepoSummary(
        id=info.id,
        author=author,
        downloads=_int(info.downloads),
        likes=_int(info.likes),
        trending_score=_int(getattr(info, "trending_score", None)),
        last_modified=_iso(info.last_modified),
        license=_first_str(card.get("license")),
        license_name=_first_str(card.get("license_name")),
        license_link=_first_str(card.get("license_link")),
        gated=bool(gated),
        gate=gated if isinstance(gated, str) else None,
        parameters=_int(gguf.get("total")),
        architecture=_first_str(gguf.get("architecture")),
        context_length=_int(gguf.get("context_length")),
        tags=[t for t in (info.tags or []) if isinstance(t, str)],
        pipeline_tag=info.pipeline_tag,
        base_model=base,
    )


def files_from_info(info: Any) -> list[HubFile]:
    files = []
    for sibling in info.siblings or []:
        lfs = sibling.lfs
        size = sibling.size if sibling.size is not None else (lfs.size if lfs else None)
        files.append(HubFile(sibling.rfilename, size, lfs.sha256 if lfs else None, sibling.blob_id))
    return files


def _quant_for(path: str) -> QuantInfo | None:
    """The quant named by the file, else by the folders it sits in (innermost first)."""
    found = parse_quant(path)
    if found is not None:
        return found
    for folder in reversed(path.split("/")[:-1]):
        found = parse_quant(folder)
        if found is not None:
            return found
    return None


def group_quants(files: Iterable[HubFile], parameters: int | None = None) -> list[QuantGroup]:
    """Downloadable GGUF groups, smallest first; labels are unique within the repository."""
    singles: list[list[HubFile]] = []
    splits: dict[tuple[str, str, int], dict[int, HubFile]] = {}
    for f in files:
        if not f.path.lower().endswith(".gguf") or is_projector(f.path):
            continue
        folder, _, name = f.path.rpartition("/")
        split = parse_split_name(name)
        if split is None:
            singles.append([f])
        else:
            splits.setdefault((folder, split.stem, split.count), {})[split.number] = f
    groups = [_group(parts, [], parameters) for parts in singles]
    for (_folder, _stem, count), found in splits.items():
        missing = [n for n in range(1, count + 1) if n not in found]
        groups.append(_group([found[n] for n in sorted(found)], missing, parameters))
    _make_labels_unique(groups)
    groups.sort(key=lambda g: (g.total_size, g.label))
    return groups


def projectors(files: Iterable[HubFile]) -> list[HubFile]:
    return [f for f in files if f.path.lower().endswith(".gguf") and is_projector(f.path)]


def _group(parts: list[HubFile], missing: list[int], parameters: int | None) -> QuantGroup:
    quant = _quant_for(parts[0].path)
    bits: float | None = quant.bits_per_weight if quant else None
    size = sum(p.size or 0 for p in parts)
    if bits is None and parameters and size and not missing:
        bits = round(size * 8 / parameters, 2)
    label = quant.label if quant else _stem(parts[0].path)
    return QuantGroup(label, quant, parts, bits, missing)


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    split = parse_split_name(name)
    return split.stem if split else name[: -len(".gguf")]


def _make_labels_unique(groups: list[QuantGroup]) -> None:
    """Two files with one quant (e.g. an -it and a base model) are told apart by their paths."""
    seen: dict[str, list[QuantGroup]] = {}
    for group in groups:
        seen.setdefault(group.label.upper(), []).append(group)
    for same in seen.values():
        if len(same) < 2:
            continue
        for group in same:
            first = group.files[0].path
            stem = _stem(first)
            folder = first.rpartition("/")[0]
            group.label = f"{folder}/{stem}" if folder else stem
