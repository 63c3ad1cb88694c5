"""Services.open(): folders made, settings loaded (recovering), library ready; logging set up once."""

from __future__ import annotations

import logging
from pathlib import Path

from hearth.core.services import Services, setup_logging


def test_open_prepares_everything(hearth_home: Path) -> None:
    services = Services.open()
    assert services.paths.data == hearth_home.resolve() / "data"
    assert services.paths.models.is_dir() and services.paths.logs.is_dir()
    assert services.settings.notice is None
    assert services.library.folders() == [services.paths.models]


def test_open_with_a_broken_settings_file(hearth_home: Path) -> None:
    settings = hearth_home / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("[not settings", encoding="utf-8")
    first = Services.open()
    assert first.settings.notice and "not valid JSON" in first.settings.notice
    assert Services.open().settings.notice is None


def test_setup_logging_adds_one_handler_per_file(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    log_file = tmp_path / "logs" / "hearth.log"
    try:
        setup_logging(log_file)
        setup_logging(log_file)
        added = [h for h in root.handlers if h not in before]
        assert len(added) == 1
        logging.getLogger("hearth.test").info("hello from the test")
        added[0].flush()
        assert "INFO hearth.test: hello from the test" in log_file.read_text(encoding="utf-8")
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
