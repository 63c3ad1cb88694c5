"""A chat template that tries to escape Jinja's sandbox never runs its payload in the engine.

This is the path after a user overrides the danger badge: the model is loaded
and chatted with for real, and the marker file each payload tries to create
must not exist afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hearth.core.paths import Paths
from hearth.core.tiny_model import write_tiny_gguf
from hearth.engine.client import SamplingParams
from hearth.engine.errors import EngineError
from hearth.engine.supervisor import EngineSupervisor
from tests.helpers.engines import entry_for
from tests.helpers.malicious_templates import malicious_template

pytestmark = pytest.mark.llama


@pytest.fixture
def supervisor(paths: Paths) -> Iterator[EngineSupervisor]:
    with EngineSupervisor(paths, ready_timeout=120) as sup:
        yield sup


@pytest.mark.parametrize("variant", ["builtins_open", "subclasses_popen"])
def test_the_payload_never_runs_when_the_model_is_loaded_and_used(
        supervisor: EngineSupervisor, tmp_path: Path, variant: str) -> None:
    marker = tmp_path / f"pwned-{variant}"
    model = write_tiny_gguf(tmp_path / f"evil-{variant}.gguf", name="Evil",
                            chat_template=malicious_template(marker, variant))
    client = supervisor.start(entry_for(model)).client()
    try:
        client.chat([{"role": "user", "content": "hello"}], SamplingParams(max_tokens=4, seed=1))
    except EngineError:
        pass  # the sandbox may refuse to render the template: that is a safe outcome too
    assert not marker.exists()
    handle = supervisor.handle()
    assert handle is not None and handle.alive  # the engine survived the attempt
