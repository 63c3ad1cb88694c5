"""A process that keeps writing chat messages and prints each committed id, for kill -9 tests.

Run as ``python -m tests.helpers.chat_writer DB_PATH``: it creates one
conversation, then adds messages forever (a long partial reply every few,
as a streaming chat would), printing ``committed <id>`` after each commit.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hearth.core.chats import ChatStore


def main(path: str) -> None:
    store = ChatStore(Path(path))
    conv = store.create_conversation("crash test")
    print(f"conversation {conv.id}", flush=True)
    n = 0
    while True:
        n += 1
        role = "user" if n % 2 else "assistant"
        text = f"message {n} " + "token " * (n % 50) * 20
        message = store.add_message(conv.id, role, text, partial=n % 7 == 0, stats={"n": n})
        print(f"committed {message.id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
