"""The Model passport dialog and the danger gate that stands before loading a model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from hearth.core.badges import Badge, Level
from hearth.core.licenses import license_info
from hearth.core.model_entry import SOURCE_HUB, SOURCE_IMPORTED, ModelEntry, ModelSource
from hearth.core.services import Services
from hearth.ui.badges import PassportDialog, confirm_load
from hearth.ui.badges.compute import compute_badges
from hearth.ui.badges.passport_text import passport_content, passport_text
from hearth.ui.badges.texts import LEVEL_WORDS, check_title
from hearth.ui.dialogs import Dialogs
from tests.gui.conftest import FakeDialogs, fake_entry
from tests.helpers.badge_models import REVISION, sha256_of
from tests.helpers.malicious_templates import malicious_template

REPO = "bartowski/Llama-3.2-1B-Instruct-GGUF"


@pytest.fixture
def hub_entry(services: Services, tiny_gguf: Callable[..., Path]) -> ModelEntry:
    """A Llama 3.2 file as the downloader leaves it: in the library, with a verified hash recorded."""
    path = tiny_gguf("Llama-3.2-1B-Instruct-Q8_0.gguf", folder=services.paths.models / REPO,
                     name="Llama 3.2 1B Instruct", license="llama3.2")
    services.library.record_source(path, ModelSource(kind=SOURCE_HUB, repo_id=REPO, revision=REVISION,
                                                     filename=path.name, sha256=sha256_of(path), license="llama3.2"))
    (entry,) = services.library.scan()
    return entry


@pytest.fixture
def opened(qtbot: Any) -> list[str]:
    return []


def make_passport(qtbot: Any, badges: list[Badge], opened: list[str], **options: Any) -> PassportDialog:
    def open_url(url: str) -> bool:
        opened.append(url)
        return True

    dialog = PassportDialog(badges, open_url=open_url, **options)
    qtbot.addWidget(dialog)
    return dialog


def test_passport_lists_every_badge_with_its_evidence(qtbot: Any, hub_entry: ModelEntry, opened: list[str]) -> None:
    badges = compute_badges(hub_entry, None)
    dialog = make_passport(qtbot, badges, opened, entry=hub_entry)
    assert dialog.windowTitle() == "Model passport — Llama 3.2 1B Instruct"
    assert len(dialog.check_rows) == len(badges) >= 6
    names = {row.accessibleName() for row in dialog.check_rows}
    for badge in badges:
        assert f"{LEVEL_WORDS[badge.level]}: {check_title(badge.key)}: {badge.label}" in names
        assert badge.evidence in dialog.text()
    text = dialog.text()
    assert text.index("Caution · License") < text.index("OK · File format"), "worst first"
    assert "there is one thing to read first" in text


def test_passport_explains_the_license_and_opens_its_link(qtbot: Any, hub_entry: ModelEntry,
                                                          opened: list[str]) -> None:
    dialog = make_passport(qtbot, compute_badges(hub_entry, None), opened, entry=hub_entry)
    info = license_info("llama3.2")
    text = dialog.text()
    assert "Llama 3.2 Community License (llama3.2) · Use-restricted" in text
    assert "As stated by the model card." in text
    for line in (info.summary, f"Commercial use: {info.commercial_use}", f"Changing it: {info.modification}",
                 f"Sharing it: {info.redistribution}", f"You must: {info.obligations}"):
        assert line in text
    assert info.link and info.link in dialog.license_link.text()
    dialog.license_link.linkActivated.emit(info.link)
    assert opened == [info.link]


def test_passport_shows_the_file_its_hash_and_origin(qtbot: Any, hub_entry: ModelEntry, opened: list[str]) -> None:
    dialog = make_passport(qtbot, compute_badges(hub_entry, None), opened, entry=hub_entry)
    rows = dict(dialog.content.file_rows)
    assert rows["Where it came from"] == f"Downloaded from the Hugging Face Hub: {REPO} at revision {REVISION}."
    assert rows["SHA-256"] == hub_entry.source.sha256
    assert rows["File"] == str(hub_entry.path)
    assert rows["Size"].endswith(f"({hub_entry.size_bytes:,} bytes)")
    assert hub_entry.source.sha256 in dialog.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.text()
    assert dialog.copied.text() == "Copied to the clipboard."


def test_passport_words_imported_and_found_files(qapp: Any) -> None:
    origin = "/home/ada/Downloads/one.gguf"
    imported = fake_entry("Imported One", source=ModelSource(kind=SOURCE_IMPORTED, origin=origin))
    found = fake_entry("Found One", folder="/home/ada/models")
    text = passport_text(passport_content([], entry=imported))
    assert "Where it came from: Imported from /home/ada/Downloads/one.gguf." in text
    assert "SHA-256: Not recorded" in text and "No checks could be made." in text
    assert "Found in the folder /home/ada/models." in passport_text(passport_content([], entry=found))
    assert "As stated by the file's header." in passport_text(passport_content([], entry=found))


def test_passport_without_a_file_leaves_the_file_out(qtbot: Any, opened: list[str]) -> None:
    badges = [Badge("license", Level.OK, "Permissive: mit", "The model card says mit.", "hub")]
    dialog = make_passport(qtbot, badges, opened, license=license_info("mit"), license_said_by="the model card",
                           title="acme/tiny-GGUF")
    assert dialog.content.file_rows == [] and "\nFile\n" not in dialog.text()
    assert "MIT License (mit) · Permissive" in dialog.text()


# ---- the danger gate ---------------------------------------------------------------------
DANGER = Badge("template", Level.DANGER, "Suspicious template",
               "The chat template reaches into Python internals (__class__).", "gguf")
SAFE = [Badge("license", Level.OK, "Permissive: mit", "The file's header says mit.", "gguf"),
        Badge("format", Level.CAUTION, "Unusual", "The header names a key Hearth does not know.", "gguf")]


def test_gate_lets_a_model_without_danger_through(dialogs: FakeDialogs, qapp: Any) -> None:
    assert confirm_load(None, "Tiny", SAFE, dialogs)
    assert confirm_load(None, "Tiny", None, dialogs), "unknown badges do not block"
    assert dialogs.risky_calls == []


def test_gate_refuses_a_danger_badge_by_default_and_allows_an_override(dialogs: FakeDialogs, qapp: Any) -> None:
    assert not confirm_load(None, "Sneaky", [*SAFE, DANGER], dialogs)
    assert dialogs.risky_calls == [("Sneaky", [DANGER])], "only the danger badges are put to the user"
    dialogs.risky_answer = True
    assert confirm_load(None, fake_entry("Sneaky"), [DANGER], dialogs)


def test_gate_on_a_real_malicious_file(dialogs: FakeDialogs, services: Services, tiny_gguf: Callable[..., Path],
                                       tmp_path: Path) -> None:
    tiny_gguf("sneaky.gguf", folder=services.paths.models, name="Sneaky",
              chat_template=malicious_template(tmp_path / "pwned", "lipsum_globals"))
    (entry,) = services.library.scan()
    badges = compute_badges(entry, None)
    assert not confirm_load(None, entry, badges, dialogs)
    assert [b.key for b in dialogs.risky_calls[0][1]] == ["template"]


@pytest.mark.parametrize("answer", ["default", "Load anyway"])
def test_real_risky_load_dialog_defaults_to_cancel_and_shows_the_evidence(qtbot: Any, answer: str) -> None:
    seen: dict[str, Any] = {}

    def answer_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer_box)
            return
        seen["text"] = box.text() + "\n" + box.informativeText()
        seen["default"] = box.defaultButton().text()
        if answer == "default":
            QTest.keyClick(box, Qt.Key.Key_Return)
        else:
            next(b for b in box.buttons() if b.text() == answer).click()

    QTimer.singleShot(0, answer_box)
    allowed = Dialogs().confirm_risky_load(None, "Sneaky", [DANGER])
    assert allowed is (answer == "Load anyway")
    assert seen["default"] == "Cancel"
    assert "Hearth found a serious problem with “Sneaky”. Load it anyway?" in seen["text"]
    assert DANGER.evidence in seen["text"] and "could run commands on this computer" in seen["text"]
