"""Risk badges: every key reaches each of its levels from real crafted files and plain Hub facts."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hearth.cli.library_cmds import cmd_info
from hearth.core.badges import BADGE_KEYS, Badge, Level, RepoFacts, worst_level
from hearth.core.fit import assess
from hearth.core.fit_inputs import FitCandidate
from hearth.core.gguf_facts import read_facts
from hearth.core.model_entry import SOURCE_HUB, SOURCE_IMPORTED, ModelEntry, ModelSource
from hearth.core.risk import badges_for, badges_for_entry
from hearth.core.runtime_check import RUNTIME_PACKAGES, advisories, installed_version, is_older, runtime_badge
from hearth.core.services import Services
from tests.helpers import raw_gguf as raw
from tests.helpers.fake_hardware import DESKTOP_NVIDIA, LAPTOP_8GB, LLAMA_1B, LLAMA_8B
from tests.helpers.gguf_factory import CHAT_TEMPLATE
from tests.helpers.malicious_templates import malicious_template

TinyGGUF = Callable[..., Path]
SplitGGUF = Callable[..., list[Path]]
NOW = datetime(2026, 6, 1, tzinfo=UTC)
SAFE = {"llama-cpp-python": "0.3.36", "jinja2": "3.1.6"}
OK, CAUTION, DANGER, UNKNOWN = Level.OK, Level.CAUTION, Level.DANGER, Level.UNKNOWN


def badge(badges: list[Badge], key: str) -> Badge:
    (found,) = [b for b in badges if b.key == key]
    return found


def entry_for(services: Services, path: Path) -> ModelEntry:
    (entry,) = [e for e in services.library.scan() if path in e.parts]
    return entry


def file_badges(services: Services, path: Path, **kwargs: object) -> list[Badge]:
    return badges_for_entry(entry_for(services, path), versions=SAFE, now=NOW, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def models(services: Services) -> Path:
    return services.paths.models / "someone" / "repo"


# ---- license -----------------------------------------------------------------------------
@pytest.mark.parametrize(("license", "level", "label"), [
    ("apache-2.0", OK, "Permissive: apache-2.0"),
    ("gpl-3.0", CAUTION, "Copyleft: gpl-3.0"),
    ("llama3.1", CAUTION, "Use-restricted: llama3.1"),
    ("cc-by-nc-4.0", CAUTION, "Non-commercial: cc-by-nc-4.0"),
    ("Acme Custom Terms", UNKNOWN, "Unknown: Acme Custom Terms"),
    (None, UNKNOWN, "No license"),
])
def test_license_from_the_file(tiny_gguf: TinyGGUF, services: Services, models: Path,
                               license: str | None, level: Level, label: str) -> None:
    found = badge(file_badges(services, tiny_gguf(folder=models, license=license)), "license")
    assert (found.level, found.label, found.source) == (level, label, "gguf")


def test_license_conflict_between_card_and_file(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    path = tiny_gguf(folder=models, license="cc-by-nc-4.0")
    found = badge(file_badges(services, path, repo=RepoFacts(repo_id="a/b", license="mit")), "license")
    assert found.level is CAUTION and "conflict" in found.label and found.source == "hub+gguf"
    assert "MIT License" in found.evidence and "Non-Commercial" in found.evidence


def test_license_card_agrees_with_file(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    path = tiny_gguf(folder=models, license="Apache 2.0")
    found = badge(file_badges(services, path, repo=RepoFacts(repo_id="a/b", license="apache-2.0")), "license")
    assert found.level is OK and found.source == "hub+gguf"


def test_license_other_with_custom_name_shows_its_link() -> None:
    repo = RepoFacts(repo_id="a/b", license="other", license_name="acme-license", license_link="https://ex.org/L")
    found = badge(badges_for(repo=repo, runtime=False), "license")
    assert found.level is UNKNOWN and "https://ex.org/L" in found.evidence and "acme-license" in found.label


# ---- integrity ---------------------------------------------------------------------------
HASH = "ab" * 32


@pytest.mark.parametrize(("source", "expected", "level"), [
    (ModelSource(SOURCE_HUB, "bartowski/x", "main", "x.gguf", HASH), None, OK),
    (ModelSource(SOURCE_HUB, "bartowski/x", "main", "x.gguf", HASH), HASH.upper(), OK),
    (ModelSource(SOURCE_HUB, "bartowski/x", "main", "x.gguf", HASH), "cd" * 32, DANGER),
    (ModelSource(SOURCE_HUB, "bartowski/x", "main", "x.gguf", None), None, UNKNOWN),
    (ModelSource(SOURCE_IMPORTED, origin="/downloads/x.gguf"), None, UNKNOWN),
    (ModelSource(), None, UNKNOWN),
])
def test_integrity(source: ModelSource, expected: str | None, level: Level) -> None:
    found = badge(badges_for(source=source, expected_sha256=expected, runtime=False), "integrity")
    assert found.level is level


# ---- format ------------------------------------------------------------------------------
def test_format_ok(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    found = badge(file_badges(services, tiny_gguf(folder=models)), "format")
    assert (found.level, found.label) == (OK, "Intact")


def test_format_truncated_file_is_danger(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    path = tiny_gguf(folder=models)
    data = path.read_bytes()
    path.write_bytes(data[:-1000])  # a download cut short
    found = badge(file_badges(services, path), "format")
    assert (found.level, found.label) == (DANGER, "Incomplete")
    assert "missing" in found.evidence


def test_format_trailing_bytes_are_danger(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    path = tiny_gguf(folder=models)
    with open(path, "ab") as handle:
        handle.write(b"\0" * 4096)
    found = badge(file_badges(services, path), "format")
    assert (found.level, found.label) == (DANGER, "Inconsistent")


def test_format_missing_split_part_is_danger(split_gguf: SplitGGUF, services: Services, models: Path) -> None:
    parts = split_gguf("tiny", 3, folder=models)
    parts[1].unlink()
    found = badge(file_badges(services, parts[0]), "format")
    assert (found.level, found.label) == (DANGER, "Incomplete")
    assert "part(s) 2" in found.evidence


def test_format_complete_split_is_ok(split_gguf: SplitGGUF, services: Services, models: Path) -> None:
    parts = split_gguf("tiny", 3, folder=models)
    found = badge(file_badges(services, parts[0]), "format")
    assert found.level is OK and "3 parts" in found.evidence


def test_format_unreadable_file_is_danger(services: Services, models: Path) -> None:
    bad = raw.write(models / "bad.gguf", b"GGUF\x03\x00\x00\x00" + b"\xff" * 16)
    found = badge(file_badges(services, bad), "format")
    assert (found.level, found.label) == (DANGER, "Unreadable")


def test_format_unknown_tensor_type_is_caution(services: Services, models: Path) -> None:
    data = raw.model([raw.kv_string("general.architecture", "llama")], [raw.Tensor("w", (8,), ggml_type=250)])
    path = raw.write(models / "odd.gguf", data)
    found = badge(file_badges(services, path), "format")
    assert (found.level, found.label) == (CAUTION, "Unusual")


# ---- template ----------------------------------------------------------------------------
def test_template_malicious_is_danger(tiny_gguf: TinyGGUF, services: Services, models: Path, tmp_path: Path) -> None:
    # The payload sits after 300 characters, past the 200 the facts keep: the full text must be read.
    template = "{# " + "x" * 300 + " #}" + malicious_template(tmp_path / "marker", "builtins_open")
    path = tiny_gguf(folder=models, chat_template=template)
    assert "__class__" not in str(read_facts(path).metadata["tokenizer.chat_template"])
    found = badge(file_badges(services, path), "template")
    assert (found.level, found.label, found.source) == (DANGER, "Suspicious template", "gguf")
    assert "__class__" in found.evidence
    assert not (tmp_path / "marker").exists()


def test_template_in_a_named_alternative_is_checked_too(tiny_gguf: TinyGGUF, services: Services,
                                                         models: Path, tmp_path: Path) -> None:
    evil = malicious_template(tmp_path / "m", "lipsum_globals", chat=False)
    path = tiny_gguf(folder=models, extra={"tokenizer.chat_template.tool_use": evil})
    assert badge(file_badges(services, path), "template").level is DANGER
    only_named = tiny_gguf(folder=models, chat_template=None, extra={"tokenizer.chat_template.tool_use": evil})
    assert badge(file_badges(services, only_named), "template").level is DANGER
    benign_named = tiny_gguf(folder=models, chat_template=None,
                             extra={"tokenizer.chat_template.tool_use": "{{ tools|tojson }}"})
    assert badge(file_badges(services, benign_named), "template").label == "No chat template"


def test_template_benign_is_ok(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    found = badge(file_badges(services, tiny_gguf(folder=models)), "template")
    assert (found.level, found.label) == (OK, "Template looks normal")


def test_no_template_is_caution(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    found = badge(file_badges(services, tiny_gguf(folder=models, chat_template=None)), "template")
    assert found.level is CAUTION and "generic format" in found.evidence


def test_large_template_is_caution(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    big = CHAT_TEMPLATE + "{# " + "lorem ipsum " * 3000 + " #}"
    found = badge(file_badges(services, tiny_gguf(folder=models, chat_template=big)), "template")
    assert (found.level, found.label) == (CAUTION, "Unusually large template")


def test_template_different_from_the_hub_is_caution(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    path = tiny_gguf(folder=models)
    same = file_badges(services, path, repo=RepoFacts(repo_id="a/b", chat_template=CHAT_TEMPLATE + "\n"))
    assert badge(same, "template").level is OK
    other = file_badges(services, path, repo=RepoFacts(repo_id="a/b", chat_template="{{ messages }}"))
    assert (badge(other, "template").level, badge(other, "template").source) == (CAUTION, "hub+gguf")


def test_hub_template_is_scanned_before_download(tmp_path: Path) -> None:
    repo = RepoFacts(repo_id="x/y", chat_template=malicious_template(tmp_path / "m", "cycler_init"))
    found = badge(badges_for(repo=repo, runtime=False), "template")
    assert (found.level, found.source) == (DANGER, "hub")


def test_template_not_read_is_unknown(tiny_gguf: TinyGGUF) -> None:
    found = badge(badges_for(facts=read_facts(tiny_gguf()), runtime=False), "template")
    assert found.level is UNKNOWN


# ---- provenance, freshness, access -------------------------------------------------------
@pytest.mark.parametrize(("repo", "level", "label"), [
    (RepoFacts(repo_id="meta-llama/Llama-3.2-1B-Instruct-GGUF", base_model="meta-llama/Llama-3.2-1B-Instruct"),
     OK, "Original publisher"),
    (RepoFacts(repo_id="bartowski/Llama-3.2-1B-Instruct-GGUF", base_model="meta-llama/Llama-3.2-1B-Instruct"),
     OK, "Established publisher"),
    (RepoFacts(repo_id="ggml-org/gemma-3-270m-GGUF", author="ggml-org"), OK, "Established publisher"),
    (RepoFacts(repo_id="someone/Llama-3.2-1B-GGUF", base_model=["meta-llama/Llama-3.2-1B-Instruct"]),
     CAUTION, "Community upload"),
    (RepoFacts(repo_id="someone/mystery-GGUF"), CAUTION, "Community upload"),
])
def test_provenance(repo: RepoFacts, level: Level, label: str) -> None:
    found = badge(badges_for(repo=repo, runtime=False), "provenance")
    assert (found.level, found.label) == (level, label)
    if label == "Community upload":
        assert "someone" in found.evidence
        assert ("meta-llama/Llama-3.2-1B-Instruct" in found.evidence) == bool(repo.base_model)


def test_provenance_of_an_imported_file_is_unknown() -> None:
    found = badge(badges_for(source=ModelSource(SOURCE_IMPORTED), runtime=False), "provenance")
    assert found.level is UNKNOWN


def test_provenance_from_the_download_record() -> None:
    found = badge(badges_for(source=ModelSource(SOURCE_HUB, "unsloth/x-GGUF"), runtime=False), "provenance")
    assert (found.level, found.source) == (OK, "download")


@pytest.mark.parametrize(("modified", "level"), [
    ("2024-09-01T10:00:00.000Z", CAUTION),  # 21 months before NOW
    ("2025-12-24T10:00:00+00:00", OK),
    (datetime(2026, 5, 1), OK),  # naive datetimes count as UTC
    ("yesterday", UNKNOWN),
])
def test_freshness(modified: str | datetime, level: Level) -> None:
    found = badge(badges_for(repo=RepoFacts(repo_id="a/b", last_modified=modified), runtime=False, now=NOW),
                  "freshness")
    assert found.level is level


@pytest.mark.parametrize(("gated", "access", "level", "label"), [
    (False, None, OK, "Open download"),
    ("auto", True, OK, "Access granted"),
    ("manual", False, CAUTION, "Access needed"),
    (True, None, CAUTION, "Gated"),
])
def test_access(gated: bool | str, access: bool | None, level: Level, label: str) -> None:
    found = badge(badges_for(repo=RepoFacts(repo_id="a/b", gated=gated, has_access=access), runtime=False), "access")
    assert (found.level, found.label) == (level, label)


# ---- fit and runtime ---------------------------------------------------------------------
@pytest.mark.parametrize(("profile", "size", "shape", "level"), [
    (DESKTOP_NVIDIA, 4_920_000_000, LLAMA_8B, OK),  # full GPU
    (DESKTOP_NVIDIA, 8_540_000_000, LLAMA_8B, CAUTION),  # partial
    (LAPTOP_8GB, 808_000_000, LLAMA_1B, OK),  # CPU on a machine without a GPU
    (LAPTOP_8GB, 8_540_000_000, LLAMA_8B, DANGER),  # won't fit
])
def test_fit(profile: object, size: int, shape: object, level: Level) -> None:
    verdict = assess(FitCandidate(None, size, shape), profile)  # type: ignore[arg-type]
    found = badge(badges_for(fit=verdict, runtime=False), "fit")
    assert found.level is level and found.evidence == verdict.summary and found.source == "hardware"


def test_fit_cpu_despite_a_gpu_is_caution() -> None:
    # A GPU too small to take even one layer of a wide model: the CPU does all the work.
    tiny_gpu = replace(DESKTOP_NVIDIA, gpus=(replace(DESKTOP_NVIDIA.gpus[0], free_bytes=600 * 2**20),))
    verdict = assess(FitCandidate(None, 4_920_000_000, LLAMA_8B), tiny_gpu)
    assert verdict.level.value == "cpu_only"
    assert badge(badges_for(fit=verdict, runtime=False), "fit").level is CAUTION


@pytest.mark.parametrize(("versions", "level", "cves"), [
    ({"llama-cpp-python": "0.2.60", "jinja2": "3.1.6"}, DANGER, ["CVE-2024-34359", "CVE-2026-27940"]),
    ({"llama-cpp-python": "0.3.16", "jinja2": "3.1.6"}, DANGER, ["CVE-2026-27940"]),
    ({"llama-cpp-python": "0.3.36", "jinja2": "3.1.4"}, DANGER, ["CVE-2024-56326", "CVE-2025-27516"]),
    ({"llama-cpp-python": "0.3.36", "jinja2": "3.1.6"}, OK, []),
    ({"llama-cpp-python": None, "jinja2": "3.1.6"}, UNKNOWN, []),
])
def test_runtime(versions: dict[str, str | None], level: Level, cves: list[str]) -> None:
    found = runtime_badge(versions)
    assert found.level is level
    for cve in cves:
        assert cve in found.evidence
    if level is DANGER:
        assert "update to" in found.evidence


def test_runtime_of_this_installation() -> None:
    versions = {p: installed_version(p) for p in RUNTIME_PACKAGES}
    found = runtime_badge()
    assert found == runtime_badge(versions)
    if versions["llama-cpp-python"]:
        assert (found.level is DANGER) == any(
            v and is_older(v, a.fixed_in) for a in advisories() for p, v in versions.items() if p == a.package)


def test_version_comparison() -> None:
    assert is_older("0.2.71", "0.2.72") and not is_older("0.2.72", "0.2.72")
    assert is_older("0.3", "0.3.17") and not is_older("0.10.0", "0.3.17")
    assert not is_older("0.3.17rc1+cu124", "0.3.17")


# ---- all together ------------------------------------------------------------------------
def test_search_hit_badges(tmp_path: Path) -> None:
    @dataclass
    class Summary:  # the field names of the Hub client's RepoSummary
        id: str
        author: str | None
        last_modified: str | None
        license: str | None
        license_name: str | None
        license_link: str | None
        gated: bool
        gate: str | None
        base_model: str | None

    hit = Summary("someone/Qwen-GGUF", "someone", "2023-01-01T00:00:00Z", "other", "tongyi-qianwen", None,
                  True, "manual", "Qwen/Qwen2.5-7B-Instruct")
    badges = badges_for(repo=hit, versions=SAFE, now=NOW)
    assert [b.key for b in badges] == ["license", "provenance", "freshness", "access", "runtime"]
    assert badge(badges, "license").label == "Use-restricted: tongyi-qianwen"
    assert "the author approves" in badge(badges, "access").evidence
    assert worst_level(badges) is CAUTION
    for b in badges:
        assert set(b.to_json()) == {"key", "level", "label", "evidence", "source"}
    json.dumps([b.to_json() for b in badges])


def test_repo_facts_from_detail_like_objects() -> None:
    @dataclass
    class Detail:
        summary: object
        chat_template: str | None

    facts = RepoFacts.from_object(Detail(RepoFacts(repo_id="a/b", gated=True), "{{ x }}"))
    assert (facts.repo_id, facts.chat_template, facts.gated) == ("a/b", "{{ x }}", True)
    assert RepoFacts.from_object({"id": "c/d", "gated": True, "gate": "auto"}).gated == "auto"


def test_every_key_and_order_for_a_downloaded_model(tiny_gguf: TinyGGUF, services: Services, models: Path) -> None:
    path = tiny_gguf(folder=models, license="llama3.1")
    services.library.record_source(path, ModelSource(SOURCE_HUB, "bartowski/repo", "abc", path.name, HASH))
    repo = RepoFacts(repo_id="bartowski/repo", last_modified="2026-01-01T00:00:00Z", gated=False,
                     license="llama3.1", base_model="meta-llama/Llama-3.1-8B-Instruct")
    badges = file_badges(services, path, repo=repo, profile=LAPTOP_8GB)
    assert [b.key for b in badges] == list(BADGE_KEYS)
    assert badge(badges, "integrity").level is OK
    assert badge(badges, "fit").level is OK


def test_info_command_prints_badges(tiny_gguf: TinyGGUF, services: Services, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tiny_gguf(chat_template=malicious_template(tmp_path / "m", "subclasses_popen"))
    assert cmd_info(services, argparse.Namespace(model=str(path), json=True)) == 0
    data = json.loads(capsys.readouterr().out)
    levels = {b["key"]: b["level"] for b in data["badges"]}
    assert levels["template"] == "danger" and levels["format"] == "ok" and "runtime" in levels
    assert cmd_info(services, argparse.Namespace(model=str(path), json=False)) == 0
    text = capsys.readouterr().out
    assert "CHECK" in text and "Suspicious template" in text and "Intact" in text
    assert not (tmp_path / "m").exists()
