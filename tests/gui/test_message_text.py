"""A streaming reply is laid out piece by piece: what shows must equal rendering the whole text at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QTextDocument

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


def _layouts(document: QTextDocument) -> dict[str, tuple[float, int, int, bool]]:
    """Each text block's left margin, indent, heading level and whether it is a list item, by its text."""
    found = {}
    block = document.begin()
    while block.isValid():
        if block.text().strip():
            fmt = block.blockFormat()
            found[block.text()] = (fmt.leftMargin(), fmt.indent(), fmt.headingLevel(), block.textList() is not None)
        block = block.next()
    return found


def test_pieces_keep_their_headings_quotes_and_lists(qtbot: Any) -> None:
    text = "- a list first\n- then more\n\n" + REPLY
    streaming = _fresh(qtbot, "")
    for end in range(7, len(text) + 7, 7):
        streaming.set_text(text[:end])
    reference = QTextDocument()
    reference.setHtml(render(text).html)  # the whole reply laid out at once
    expected, shown = _layouts(reference), _layouts(streaming.body.document())
    assert shown == expected
    assert expected["Reading a CSV file"][2] == 2 and expected["a list first"][3]
    assert expected["Tip: pass newline=\"\" or quoted line breaks go wrong."][0] > 0  # the quote is indented
