"""Reading one repository through the real client: files, quant groups, card, errors, cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hearth.core.errors import HearthError
from hearth.core.hub import HubClient
from hearth.core.hub_cache import HubCache
from hearth.core.hub_errors import (
    HubError, NoGGUFError, OfflineError, RepoNotFoundError, RevisionNotFoundError,
)
from hearth.core.hub_models import RepoDetail
from hearth.core.paths import Paths
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_publish import publish_split, publish_tiny
from tests.helpers.hub_repos import sha256_of


@pytest.fixture
def client(paths: Paths) -> HubClient:
    return HubClient(HubCache(paths.cache / "hub"), token=lambda: None)


def test_detail_lists_files_groups_projectors_and_card(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                      split_gguf: Callable[..., list[Path]],
                                                      client: HubClient) -> None:
    repo = publish_split(hub, split_gguf, "acme/mixed-GGUF", folder="Q8_0", parts=2, readme="# Mixed\ncard")
    q4 = tiny_gguf("q4.gguf")
    repo.files.update(hub.add_repo("tmp/x", {
        "mixed-UD-Q4_K_XL.gguf": q4, "mixed-IQ2_XXS.gguf": b"i" * 50, "mmproj-mixed-F16.gguf": b"p" * 20,
        "config.json": b"{}", "model.safetensors": b"s" * 10,
    }).files)
    detail = client.repo_detail("acme/mixed-GGUF")

    assert detail.sha == repo.sha and not detail.from_cache and detail.fetched_at
    assert {f.path for f in detail.files} >= {"config.json", "README.md", "Q8_0/tiny-split-Q8_0-00001-of-00002.gguf"}
    by_path = {f.path: f for f in detail.files}
    assert by_path["mixed-UD-Q4_K_XL.gguf"].sha256 == sha256_of(q4)
    assert by_path["mixed-UD-Q4_K_XL.gguf"].size == q4.stat().st_size
    assert by_path["README.md"].sha256 is None and by_path["README.md"].blob_id  # a plain git file

    labels = {g.label: g for g in detail.quant_groups}
    assert set(labels) == {"Q8_0", "UD-Q4_K_XL", "IQ2_XXS"}
    split = labels["Q8_0"]
    assert [f.name for f in split.files] == ["tiny-split-Q8_0-00001-of-00002.gguf",
                                             "tiny-split-Q8_0-00002-of-00002.gguf"]
    assert split.is_split and split.complete and split.total_size == sum(f.size or 0 for f in split.files)
    assert labels["UD-Q4_K_XL"].quant and labels["UD-Q4_K_XL"].quant.dynamic
    assert labels["IQ2_XXS"].bits_per_weight == pytest.approx(2.06)
    assert [g.total_size for g in detail.quant_groups] == sorted(g.total_size for g in detail.quant_groups)
    assert [p.path for p in detail.projectors] == ["mmproj-mixed-F16.gguf"]
    assert detail.readme == "# Mixed\ncard"
    assert detail.summary.license == "apache-2.0"
    assert detail.chat_template and "messages" in detail.chat_template
    assert detail.group("q8_0") is split and detail.group("Q4_K_XL") is labels["UD-Q4_K_XL"]


def test_detail_round_trips_through_json(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                         client: HubClient) -> None:
    publish_tiny(hub, tiny_gguf, quants=("Q8_0", "F16"))
    detail = client.repo_detail("acme/tiny-GGUF")
    again = RepoDetail.from_json(detail.to_json())
    assert again.to_json() == detail.to_json() and again.from_cache


def test_repo_without_gguf_says_so(hub: HubEmulator, client: HubClient) -> None:
    hub.add_repo("acme/pytorch-only", {"model.safetensors": b"x"})
    detail = client.repo_detail("acme/pytorch-only")
    assert detail.quant_groups == []
    with pytest.raises(NoGGUFError, match="has no GGUF model files"):
        client.require_gguf(detail)


@pytest.mark.parametrize(("repo", "revision", "error", "text"), [
    ("acme/nothing-here", None, RepoNotFoundError, "No model 'acme/nothing-here' on the Hub"),
    ("acme/tiny-GGUF", "v9", RevisionNotFoundError, "has no such revision"),
    ("not-a-repo-id", None, HubError, "is not a Hub model id"),
])
def test_errors_are_one_line(hub: HubEmulator, tiny_gguf: Callable[..., Path], client: HubClient,
                             repo: str, revision: str | None, error: type[HearthError], text: str) -> None:
    publish_tiny(hub, tiny_gguf)
    with pytest.raises(error, match=text) as caught:
        client.repo_detail(repo, revision)
    assert "\n" not in str(caught.value)


def test_server_error_is_one_line(hub: HubEmulator, tiny_gguf: Callable[..., Path], client: HubClient) -> None:
    publish_tiny(hub, tiny_gguf)
    hub.fail("/api/models/acme", status=503, times=None)
    with pytest.raises(HubError, match="The Hub answered HTTP 503 for acme/tiny-GGUF$"):
        client.repo_detail("acme/tiny-GGUF")


def test_fresh_cache_saves_requests_and_fresh_true_asks_again(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                             client: HubClient) -> None:
    publish_tiny(hub, tiny_gguf)
    client.repo_detail("acme/tiny-GGUF")
    hub.clear_log()
    cached = client.repo_detail("acme/tiny-GGUF")
    assert cached.from_cache and hub.requests() == []
    live = client.repo_detail("acme/tiny-GGUF", fresh=True)
    assert not live.from_cache and len(hub.requests("/api/models/acme/tiny-GGUF")) == 1


def test_offline_detail_comes_from_the_cache_without_a_request(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                              client: HubClient,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    publish_tiny(hub, tiny_gguf)
    seen = client.repo_detail("acme/tiny-GGUF")
    hub.clear_log()
    monkeypatch.setenv("HEARTH_OFFLINE", "1")
    cached = client.repo_detail("acme/tiny-GGUF", fresh=True)
    assert cached.from_cache and cached.sha == seen.sha and cached.readme == seen.readme
    with pytest.raises(OfflineError, match="no saved copy of acme/other"):
        client.repo_detail("acme/other")
    assert hub.requests() == []


def test_gated_repo_details_are_public(hub: HubEmulator, tiny_gguf: Callable[..., Path], client: HubClient) -> None:
    publish_tiny(hub, tiny_gguf, "meta/Gated-GGUF", gated="auto", readme=None)
    detail = client.repo_detail("meta/Gated-GGUF")
    assert detail.summary.gated and detail.summary.gate == "auto" and detail.quant_groups
    assert detail.readme is None


def test_emulator_answers_the_clients_tree_listing(hub: HubEmulator, split_gguf: Callable[..., list[Path]]) -> None:
    from hearth.core import hub_http

    repo = publish_split(hub, split_gguf, folder="Q8_0", parts=2)
    entries = list(hub_http.make_api(None).list_repo_tree(repo.repo_id, path_in_repo="Q8_0", recursive=True))
    assert sorted(e.path for e in entries) == sorted(p for p in repo.files if p.startswith("Q8_0/"))
    assert all(e.lfs is not None and e.lfs.sha256 == repo.files[e.path].sha256 for e in entries)


def test_offline_switch_reaches_huggingface_hub_too(hub: HubEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import constants
    from huggingface_hub.errors import OfflineModeIsEnabled

    from hearth.core import hub_http, privacy

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", constants.HF_HUB_OFFLINE)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # restored whatever happens below
    privacy.apply_to_hub_client(True)
    with pytest.raises(OfflineModeIsEnabled):
        hub_http.make_api(None).model_info("acme/anything")
    privacy.apply_to_hub_client(False)
    assert hub.requests() == []
