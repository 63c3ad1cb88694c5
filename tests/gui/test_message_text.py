"""A streaming reply is laid out piece by piece: what shows must equal rendering the whole text at once."""

from __future__ import annotations

from typing import Any

from hearth.ui.chat.markdown_html import render, split_paragraphs
from hearth.ui.chat.message_widget import MessageWidget

REPLY = """## Reading a CSV file

Python's standard library has a **csv** module, so nothing needs installing.

- `csv.reader` gives lists
- `csv.DictReader` gives dictionaries

1. open the file
2. wrap it in a reader

```python
import csv

def rows(path):
    with open(path, newline="") as handle:
        yield from csv.DictReader(handle)
```

> Tip: pass `newline=""` or quoted line breaks go wrong.

| name | kind |
|------|------|
| reader | lists |

And in JavaScript:

```js
const rows = text.split("\\n").map(line => line.split(","));
```

That is all.
"""


def _fresh(qtbot: Any, text: str) -> MessageWidget:
    widget = MessageWidget("assistant", text)
    qtbot.addWidget(widget)
    return widget


def test_paragraph_cuts_join_back_and_keep_lists_together() -> None:
    prose = REPLY.split("```")[0]
    parts = split_paragraphs(prose)
    assert "".join(parts) == prose
    # heading | paragraph with both lists: a list never starts a piece, so it stays with what it follows
    assert len(parts) == 2
    assert parts[0] == "## Reading a CSV file\n\n" and parts[1].endswith("2. wrap it in a reader\n\n")


def test_streaming_growth_shows_the_same_text_as_one_render(qtbot: Any) -> None:
    streaming = _fresh(qtbot, "")
    checked = 0
    for end in range(5, len(REPLY) + 5, 5):
        streaming.set_text(REPLY[:end])
        if end % 60 == 0 or end >= len(REPLY):
            assert streaming.body.toPlainText() == _fresh(qtbot, REPLY[:end]).body.toPlainText(), end
            checked += 1
    assert checked > 5
    assert streaming._code_blocks == render(REPLY).code_blocks and len(streaming._code_blocks) == 2


def test_replacing_the_text_in_the_middle_redraws_from_there(qtbot: Any) -> None:
    widget = _fresh(qtbot, REPLY)
    changed = REPLY.replace("nothing needs installing", "it is always there")
    widget.set_text(changed)
    assert widget.body.toPlainText() == _fresh(qtbot, changed).body.toPlainText()
    assert "always there" in widget.body.toPlainText() and "nothing needs" not in widget.body.toPlainText()
    widget.set_text("Short now.")
    assert widget.body.toPlainText() == "Short now."
