"""Text extraction: every kind of file gives text or a reason, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth.core.documents.extract import extract_text, kind_of
from tests.helpers.documents import NOTES, make_document_set, write_pdf


@pytest.fixture
def docs(tmp_path: Path) -> dict[str, Path]:
    return make_document_set(tmp_path / "docs", huge_bytes=3000)


def test_text_markdown_and_code(docs: dict[str, Path]) -> None:
    notes = extract_text(docs["notes"])
    assert not notes.skipped and notes.text == NOTES and notes.kind == "text" and notes.note is None
    code = extract_text(docs["code"])
    assert "def parse_line" in code.text


def test_pdf_pages_and_offsets(docs: dict[str, Path]) -> None:
    pdf = extract_text(docs["pdf"])
    assert pdf.kind == "pdf" and not pdf.skipped, pdf.skip_reason
    assert "Oil the chain" in pdf.text and "Brake pads" in pdf.text
    assert pdf.page_starts[0] == 0 and len(pdf.page_starts) == 2
    assert pdf.text[pdf.page_starts[1]:].startswith("Check the tyre pressure")
    assert pdf.note == "2 pages"


def test_encrypted_pdf_is_skipped_with_its_reason(docs: dict[str, Path]) -> None:
    locked = extract_text(docs["encrypted"])
    assert locked.skipped and locked.skip_reason is not None
    assert locked.skip_reason.startswith("encrypted PDF")


def test_pdf_encrypted_with_an_empty_password_is_read(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "restricted.pdf", [["Printing is restricted here."]], password="")
    result = extract_text(path)
    assert not result.skipped, result.skip_reason
    assert "Printing is restricted" in result.text


def test_broken_pdf_and_docx_give_reasons(tmp_path: Path) -> None:
    bad_pdf = tmp_path / "broken.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    bad_docx = tmp_path / "broken.docx"
    bad_docx.write_bytes(b"not a zip file")
    for path in (bad_pdf, bad_docx):
        result = extract_text(path)
        assert result.skipped and result.skip_reason, path


def test_docx(docs: dict[str, Path]) -> None:
    letter = extract_text(docs["docx"])
    assert letter.kind == "docx" and letter.text == "Dear neighbour,\nThe hedge trimmer is back in your shed."


def test_windows_1252_is_read_with_a_note(docs: dict[str, Path]) -> None:
    legacy = extract_text(docs["legacy"])
    assert legacy.text.startswith("Café crème – the naïve résumé costs 5€.")
    assert legacy.note == "not UTF-8; read as Windows-1252"


def test_binary_empty_and_huge_files_are_skipped(docs: dict[str, Path]) -> None:
    assert extract_text(docs["binary"]).skip_reason == "binary file (not text)"
    assert extract_text(docs["empty"]).skip_reason == "no text in it"
    huge = extract_text(docs["huge"], max_text_bytes=2000)
    assert huge.skip_reason == "larger than the 2.00 KB limit (3.02 KB)"
    assert not extract_text(docs["huge"]).skipped  # under the default 50 MB


def test_pdf_over_the_text_limit(docs: dict[str, Path]) -> None:
    result = extract_text(docs["pdf"], max_text_bytes=20)
    assert result.skip_reason == "more than the 20 B text limit"


def test_encodings_and_newlines(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffwith a BOM\r\nsecond line\rthird".encode())
    assert extract_text(bom).text == "with a BOM\nsecond line\nthird"
    utf16 = tmp_path / "wide.txt"
    utf16.write_bytes("wide text".encode("utf-16"))
    result = extract_text(utf16)
    assert result.text == "wide text" and result.note == "UTF-16 text"
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"undefined in cp1252: \x81\x8d")
    assert extract_text(latin).note == "not UTF-8; read as Latin-1"
    controls = tmp_path / "controls.txt"
    controls.write_bytes(bytes([1, 2, 3, 4, 5, 6, 0xE9]) * 50)
    assert extract_text(controls).skip_reason == "binary file (not text in any known encoding)"


def test_unknown_suffixes_are_sniffed_and_old_formats_explained(tmp_path: Path) -> None:
    unknown_text = tmp_path / "notes.weird"
    unknown_text.write_text("plain words", encoding="utf-8")
    assert extract_text(unknown_text).text == "plain words"
    unknown_binary = tmp_path / "blob.weird"
    unknown_binary.write_bytes(b"x" * 10_000 + b"\x00")
    assert extract_text(unknown_binary).skip_reason == "binary file (not text)"
    old = tmp_path / "report.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert extract_text(old).skip_reason == "old Word format (.doc); save it as .docx"
    assert extract_text(tmp_path / "gone.txt").skip_reason == "could not be read: No such file or directory"


def test_kinds() -> None:
    assert kind_of(Path("a.PY")) == "text"
    assert kind_of(Path("Makefile")) == "text"
    assert kind_of(Path("x.pdf")) == "pdf"
    assert kind_of(Path("x.docx")) == "docx"
    assert kind_of(Path("x.png")) == "unknown"
