"""Document sets for the documents tests: text, Markdown, code, real PDFs, and files that must be skipped."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(path: Path, pages: list[list[str]], password: str | None = None) -> Path:
    """A real PDF with one Helvetica text line per string, one page per list; encrypted if ``password``."""
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        body = "".join(f"({_escape(line)}) Tj T* " for line in lines)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 14 TL 72 720 Td {body}ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


NOTES = """# Garden notes

The tomatoes need water every morning in July.
Basil grows best next to the tomatoes, in full sun.

## Compost

Turn the compost heap every two weeks; keep it as damp as a wrung-out sponge.
"""

RECIPE = """Lentil soup

Fry an onion and two carrots in olive oil. Add red lentils, cumin and a litre of stock.
Simmer for twenty minutes, then blend half of it. Season with lemon juice.
"""

CODE = '''"""Parse the sensor log."""


def parse_line(line: str) -> tuple[str, float]:
    """Split a 'name=value' line into the sensor name and its reading."""
    name, _, value = line.partition("=")
    return name.strip(), float(value)
'''


def make_document_set(root: Path, huge_bytes: int = 0) -> dict[str, Path]:
    """Write the standard set under ``root``; returns name -> path.

    Usable: notes.md, recipe.txt, sensors.py, guide.pdf (2 pages), letter.docx, legacy.txt
    (Windows-1252). Skipped: locked.pdf (encrypted), image.bin (binary), empty.txt, and
    huge.log when ``huge_bytes`` is given (make it larger than the collection's limit).
    """
    root.mkdir(parents=True, exist_ok=True)
    files = {
        "notes": root / "notes.md", "recipe": root / "recipe.txt", "code": root / "src" / "sensors.py",
        "legacy": root / "legacy.txt", "binary": root / "image.bin", "empty": root / "empty.txt",
    }
    files["notes"].write_text(NOTES, encoding="utf-8")
    files["recipe"].write_text(RECIPE, encoding="utf-8")
    files["code"].parent.mkdir(parents=True, exist_ok=True)
    files["code"].write_text(CODE, encoding="utf-8")
    files["legacy"].write_bytes("Caf\xe9 cr\xe8me \u2013 the na\xefve r\xe9sum\xe9 costs 5\u20ac.\n".encode("cp1252"))
    files["binary"].write_bytes(bytes(range(256)) * 8)
    files["empty"].write_bytes(b"")
    files["pdf"] = write_pdf(root / "guide.pdf", [
        ["Bicycle maintenance guide.", "Oil the chain every two hundred kilometres."],
        ["Check the tyre pressure weekly.", "Brake pads wear out faster in the rain."],
    ])
    files["encrypted"] = write_pdf(root / "locked.pdf", [["Secret quarterly numbers."]], password="hunter2")
    files["docx"] = write_docx(root / "letter.docx", ["Dear neighbour,", "The hedge trimmer is back in your shed."])
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "config").write_text("[core]\n", encoding="utf-8")  # hidden: never listed
    if huge_bytes:
        line = b"a log line that repeats and repeats\n"
        files["huge"] = root / "huge.log"
        files["huge"].write_bytes(line * (huge_bytes // len(line) + 1))
    return files
