"""The Library page end to end on real tiny GGUF files: scan, drop, import, remove, folders, details."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

import hearth.ui.library.jobs as jobs
from hearth.core.services import Services
from hearth.ui.dialogs import Dialogs
from hearth.ui.library.table_model import Column
from hearth.ui.main_window import MainWindow
from hearth.ui.message_bar import ERROR, INFO, SUCCESS
from tests.gui.conftest import WAIT_MS, FakeDialogs, wait_idle


def table_names(window: MainWindow) -> list[str]:
    proxy = window.library.proxy
    return [proxy.index(row, Column.NAME).data() for row in range(proxy.rowCount())]


def drag_and_drop(window: MainWindow, urls: list[QUrl]) -> bool:
    """Send a drag-enter then (if accepted) a drop, as a file manager would; True if both were accepted."""
    mime = QMimeData()
    mime.setUrls(urls)
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(40, 40), *args)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    dropped = QDropEvent(QPointF(40, 40), *args)
    QApplication.sendEvent(window, dropped)
    return dropped.isAccepted()


def drop(window: MainWindow, paths: list[Path]) -> None:
    assert drag_and_drop(window, [QUrl.fromLocalFile(str(path)) for path in paths])


@pytest.fixture
def stocked(services: Services, tiny_gguf: Callable[..., Path]) -> Services:
    """Two models already in Hearth's models folder."""
    folder = services.paths.models / "acme" / "tiny-GGUF"
    tiny_gguf("alpha-Q8_0.gguf", folder=folder, name="Alpha", license="mit", quant="Q8_0", context_length=2048)
    tiny_gguf("bravo-F32.gguf", folder=folder, name="Bravo", license="apache-2.0", quant="F32")
    return services


def test_startup_scan_lists_the_models_on_disk(make_window: Callable[..., MainWindow], stocked: Services) -> None:
    window = make_window(stocked)
    assert table_names(window) == ["Alpha", "Bravo"]
    assert window.library.stack.currentWidget() is window.library.splitter
    assert window.library.header.subtitle.text().startswith("2 models")
    assert window.library.details.entry is not None, "the first model is selected"


def test_empty_library_shows_what_to_do(window: MainWindow) -> None:
    page = window.library
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No models yet"
    assert "drop a .gguf" in page.empty.text.text()
    buttons = [b.text() for b in page.empty.findChildren(QPushButton)]
    assert buttons == ["Import…", "Add folder…"]
    assert not page.commands.remove.isEnabled() and not page.commands.reveal.isEnabled()


def test_dropping_a_gguf_imports_it(window: MainWindow, qtbot: Any, tiny_gguf: Callable[..., Path]) -> None:
    source = tiny_gguf("dropped-Q8_0.gguf", name="Dropped Model", quant="Q8_0")
    window.show_page("settings")
    drop(window, [source])
    assert window.current_page() == "library"
    wait_idle(qtbot, window)
    assert table_names(window) == ["Dropped Model"]
    copied = window.services.paths.models / "imported" / "dropped-Q8_0" / "dropped-Q8_0.gguf"
    assert copied.read_bytes() == source.read_bytes()
    assert window.message_bar.level == SUCCESS and "Dropped Model" in window.message_bar.text()
    assert window.library.details.values()["Source"] == "Imported file"
    assert window.library.details.values()["Original file"] == str(source)


def test_dropping_a_text_file_imports_nothing(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    note = tmp_path / "notes.txt"
    note.write_text("not a model", encoding="utf-8")
    drop(window, [note])
    wait_idle(qtbot, window)
    assert window.message_bar.level == ERROR
    assert "notes.txt" in window.message_bar.text() and ".gguf" in window.message_bar.text()
    assert table_names(window) == []
    assert list(window.services.paths.models.rglob("*")) == []


def test_dropping_a_folder_adds_it_to_the_scanned_folders(window: MainWindow, qtbot: Any, tmp_path: Path,
                                                          tiny_gguf: Callable[..., Path]) -> None:
    shelf = tmp_path / "shelf"
    tiny_gguf("on-shelf.gguf", folder=shelf, name="On Shelf")
    drop(window, [shelf])
    wait_idle(qtbot, window)
    assert table_names(window) == ["On Shelf"]
    assert window.services.settings.settings.model_folders == [str(shelf.resolve())]


def test_a_drag_without_local_files_is_refused(window: MainWindow) -> None:
    assert not drag_and_drop(window, [QUrl("https://example.org/model.gguf")])
    assert window.message_bar.text() == ""


def test_a_bad_gguf_is_reported_inline(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"NOPE" + bytes(64))
    window.library.import_paths([fake])
    wait_idle(qtbot, window)
    assert window.message_bar.level == ERROR and "fake.gguf" in window.message_bar.text()
    assert table_names(window) == []


def test_importing_a_split_model_brings_every_part(window: MainWindow, qtbot: Any,
                                                   split_gguf: Callable[..., list[Path]],
                                                   dialogs: FakeDialogs) -> None:
    parts = split_gguf("tiny-split", parts=3)
    dialogs.files = parts  # choosing every part imports the model once
    window.library.commands.import_models.trigger()
    wait_idle(qtbot, window)
    assert table_names(window) == ["Tiny Split"]
    entry = window.library.current_entry()
    assert entry is not None and len(entry.parts) == 3 and entry.usable
    assert window.library.details.values()["Parts"] == "3 of 3"


def test_remove_confirmed_deletes_the_files(make_window: Callable[..., MainWindow], stocked: Services,
                                            qtbot: Any, dialogs: FakeDialogs) -> None:
    window = make_window(stocked)
    window.library.select_entry(window.library.model.entries()[0].id)
    victim = window.library.current_entry()
    assert victim is not None and victim.path.exists()
    dialogs.confirm_answer = True
    window.library.commands.remove.trigger()
    wait_idle(qtbot, window)
    assert [e.name for e in dialogs.confirm_calls[0]] == ["Alpha"]
    assert not victim.path.exists()
    assert table_names(window) == ["Bravo"]
    assert window.message_bar.level == SUCCESS and "Deleted Alpha" in window.message_bar.text()


def test_remove_declined_keeps_the_files(make_window: Callable[..., MainWindow], stocked: Services,
                                         qtbot: Any, dialogs: FakeDialogs) -> None:
    window = make_window(stocked)
    victim = window.library.current_entry()
    assert victim is not None
    dialogs.confirm_answer = False
    window.library.commands.remove.trigger()
    wait_idle(qtbot, window)
    assert len(dialogs.confirm_calls) == 1
    assert victim.path.exists()
    assert table_names(window) == ["Alpha", "Bravo"]


def test_delete_key_asks_before_removing(make_window: Callable[..., MainWindow], stocked: Services,
                                         qtbot: Any, dialogs: FakeDialogs) -> None:
    window = make_window(stocked, show=True)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.library.filter.setFocus()
    qtbot.keyClicks(window.library.filter, "br")
    qtbot.keyClick(window.library.filter, Qt.Key.Key_Home)
    qtbot.keyClick(window.library.filter, Qt.Key.Key_Delete)
    assert window.library.filter.text() == "r", "Delete in the filter box edits the text"
    assert dialogs.confirm_calls == []
    window.library.filter.clear()
    window.library.table.setFocus()
    dialogs.confirm_answer = False
    qtbot.keyClick(window.library.table, Qt.Key.Key_Delete)
    assert len(dialogs.confirm_calls) == 1
    assert table_names(window) == ["Alpha", "Bravo"]


@pytest.mark.parametrize("answer", ["Delete files", "Cancel"])
def test_the_real_confirmation_box_lists_the_files(make_window: Callable[..., MainWindow], stocked: Services,
                                                   qtbot: Any, answer: str) -> None:
    window = make_window(stocked)
    window.library.dialogs = Dialogs()
    window.library.dialogs.open_folder = lambda path: True  # type: ignore[method-assign]
    victim = window.library.current_entry()
    assert victim is not None
    seen: dict[str, str] = {}

    def answer_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer_box)
            return
        seen["text"] = box.text() + "\n" + box.informativeText()
        next(b for b in box.buttons() if b.text() == answer).click()

    QTimer.singleShot(0, answer_box)
    window.library.commands.remove.trigger()
    wait_idle(qtbot, window)
    assert "Delete “Alpha” from disk?" in seen["text"]
    assert str(victim.path) in seen["text"] and "cannot be undone" in seen["text"]
    assert victim.path.exists() is (answer == "Cancel")


def test_add_folder_scans_the_models_in_it(window: MainWindow, qtbot: Any, tmp_path: Path,
                                           tiny_gguf: Callable[..., Path], dialogs: FakeDialogs) -> None:
    shelf = tmp_path / "lm-studio"
    tiny_gguf("one.gguf", folder=shelf / "publisher" / "one", name="Shelf One")
    tiny_gguf("two.gguf", folder=shelf, name="Shelf Two", license="gemma")
    dialogs.folder = shelf
    window.library.commands.add_folder.trigger()
    wait_idle(qtbot, window)
    assert table_names(window) == ["Shelf One", "Shelf Two"]
    assert window.services.settings.settings.model_folders == [str(shelf.resolve())]
    assert window.library.proxy.index(0, Column.SOURCE).data() == "Folder: lm-studio"

    window.library.commands.add_folder.trigger()  # the same folder again
    assert window.message_bar.level == ERROR and "already scanned" in window.message_bar.text()


def test_folders_dialog_stops_scanning_a_folder_without_deleting(window: MainWindow, qtbot: Any,
                                                                 tmp_path: Path, tiny_gguf: Callable[..., Path],
                                                                 dialogs: FakeDialogs) -> None:
    shelf = tmp_path / "shelf"
    model = tiny_gguf("kept.gguf", folder=shelf, name="Kept")
    window.library.commands.add_folder_path(shelf)
    wait_idle(qtbot, window)
    window.library.commands.manage_folders.trigger()
    dialog = window.library.commands.folders_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.folders() == [window.services.paths.models, shelf.resolve()]
    dialog.list.setCurrentRow(0)
    assert not dialog.remove_button.isEnabled(), "Hearth's own folder stays"
    dialog.list.setCurrentRow(1)
    dialog.open_button.click()
    assert dialogs.opened == [shelf.resolve()]
    dialog.remove_button.click()
    assert dialog.folders() == [window.services.paths.models]
    assert table_names(window) == []
    assert model.exists()
    assert window.message_bar.level == INFO and "No file was deleted" in window.message_bar.text()
    dialog.close()


def test_details_show_the_facts_of_the_selected_model(make_window: Callable[..., MainWindow],
                                                      stocked: Services) -> None:
    window = make_window(stocked)
    page = window.library
    bravo = next(e for e in page.model.entries() if e.name == "Bravo")
    page.select_entry(bravo.id)
    values = page.details.values()
    assert values["License"] == "apache-2.0"
    assert values["Quantization"] == "F32"
    assert values["Context length"] == "512 tokens (512)"
    assert values["Architecture"] == "llama"
    assert values["Chat template"] == "Yes"
    assert values["Path"] == str(bravo.path)
    assert values["Usable"] == "Yes"
    tree = page.details.metadata_tree
    assert tree is not None and not tree.isVisibleTo(page.details)
    keys = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert "general.license" in keys and "tokenizer.ggml.tokens" in keys
    page.details.metadata_toggle.click()
    assert tree.isVisibleTo(page.details)
    alpha = next(e for e in page.model.entries() if e.name == "Alpha")
    page.select_entry(alpha.id)
    assert page.details.values()["License"] == "mit"
    assert page.details.metadata_tree is not None and page.details.metadata_tree.isVisibleTo(page.details)


def test_a_truncated_model_is_marked_with_its_problem(make_window: Callable[..., MainWindow], stocked: Services,
                                                      tiny_gguf: Callable[..., Path]) -> None:
    broken = tiny_gguf("cut.gguf", folder=stocked.paths.models / "x", name="Cut Short")
    with open(broken, "r+b") as handle:
        handle.truncate(broken.stat().st_size // 2)
    window = make_window(stocked)
    page = window.library
    cut = next(e for e in page.model.entries() if e.name == "Cut Short")
    page.select_entry(cut.id)
    assert page.details.values()["Usable"] == "No"
    texts = "\n".join(label.text() for label in page.details.findChildren(type(page.header.title)))
    assert "tensor data is incomplete" in texts and "Cannot be loaded" in texts
    assert "1 with problems" in page.header.subtitle.text()


def test_filter_box_narrows_the_table(make_window: Callable[..., MainWindow], stocked: Services) -> None:
    window = make_window(stocked)
    window.library.filter.setText("apache")
    assert table_names(window) == ["Bravo"]
    assert window.library.details.entry is not None and window.library.details.entry.name == "Bravo"
    assert "1 shown" in window.library.header.subtitle.text()


def test_reveal_opens_the_models_folder(make_window: Callable[..., MainWindow], stocked: Services,
                                        dialogs: FakeDialogs) -> None:
    window = make_window(stocked)
    entry = window.library.current_entry()
    assert entry is not None
    window.library.commands.reveal.trigger()
    assert dialogs.opened == [entry.path.parent]
    dialogs.open_result = False
    window.library.commands.reveal.trigger()
    assert window.message_bar.level == ERROR


def test_f5_rescans_and_finds_new_files(make_window: Callable[..., MainWindow], stocked: Services, qtbot: Any,
                                        tiny_gguf: Callable[..., Path]) -> None:
    window = make_window(stocked, show=True)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    tiny_gguf("charlie.gguf", folder=stocked.paths.models / "later", name="Charlie")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    wait_idle(qtbot, window)
    assert table_names(window) == ["Alpha", "Bravo", "Charlie"]


def test_ctrl_o_opens_the_import_dialog(make_window: Callable[..., MainWindow], qtbot: Any,
                                        dialogs: FakeDialogs) -> None:
    window = make_window(show=True)
    window.show_page("chat")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert dialogs.file_prompts == 1
    assert window.current_page() == "library"


def test_cancel_button_stops_an_import_and_cleans_up(window: MainWindow, qtbot: Any, monkeypatch: Any,
                                                     tiny_gguf: Callable[..., Path]) -> None:
    source = tiny_gguf("slow.gguf", n_embd=128, n_ff=256)
    monkeypatch.setattr("hearth.core.model_import.CHUNK", 4096)  # many chunks, so there is a middle
    copying, resume = threading.Event(), threading.Event()
    real_import = jobs.import_model

    def gated(library: Any, path: Path, *, progress: Any, should_stop: Any) -> Any:
        def report(done: int, total: int, text: str) -> None:
            if not copying.is_set():
                copying.set()
                resume.wait(WAIT_MS / 1000)  # hold the copy until the test has pressed Cancel
            progress(done, total, text)

        return real_import(library, path, progress=report, should_stop=should_stop)

    monkeypatch.setattr(jobs, "import_model", gated)
    window.library.import_paths([source])
    qtbot.waitUntil(copying.is_set, timeout=WAIT_MS)
    strip = window.library.progress
    qtbot.waitUntil(lambda: not strip.isHidden(), timeout=WAIT_MS)
    assert strip.title.text() == "Importing slow.gguf" and strip.cancel_button.isEnabled()
    assert list(window.services.paths.models.rglob("*.part")) != [], "the copy was under way"
    strip.cancel_button.click()
    resume.set()
    wait_idle(qtbot, window)
    assert strip.isHidden()
    assert window.message_bar.level == INFO and "cancelled" in window.message_bar.text()
    assert list(window.services.paths.models.rglob("*.part")) == []
    assert table_names(window) == [] and source.exists()
