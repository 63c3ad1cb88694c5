"""Text out of PDF files (pypdf) and Word .docx files (python-docx).

Both parsers are imported on first use so that listing or searching a
collection never pays for them. PDF pages are joined with a blank line and
their start offsets kept, so a search hit can say which page it is on.
"""

from __future__ import annotations

from pathlib import Path

from hearth.core.documents.extract import Extracted, normalise_newlines
from hearth.core.units import human_bytes

PAGE_SEPARATOR = "\n\n"


def read_pdf(path: Path, max_text_bytes: int) -> Extracted:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            # Many PDFs are "encrypted" with an empty user password only to restrict printing.
            try:
                opened = reader.decrypt("")
            except Exception:  # pypdf raises several types for unsupported algorithms
                opened = 0
            if not opened:
                return Extracted(kind="pdf", skip_reason="encrypted PDF (needs a password)")
        pages = reader.pages
        parts: list[str] = []
        starts: list[int] = []
        length = 0
        for page in pages:
            text = normalise_newlines(page.extract_text() or "").strip()
            offset = length + (len(PAGE_SEPARATOR) if parts else 0)
            starts.append(offset)
            parts.append(text)
            length = offset + len(text)
            if length > max_text_bytes:
                return Extracted(kind="pdf", skip_reason=f"more than the {human_bytes(max_text_bytes)} text limit")
    except PdfReadError as exc:
        return Extracted(kind="pdf", skip_reason=f"unreadable PDF ({exc})"[:300])
    return Extracted(text=PAGE_SEPARATOR.join(parts), kind="pdf", page_starts=starts,
                     note=f"{len(starts)} page{'s' if len(starts) != 1 else ''}")


def read_docx(path: Path, max_text_bytes: int) -> Extracted:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        return Extracted(kind="docx", skip_reason=f"unreadable Word document ({exc.__class__.__name__})")
    blocks: list[str] = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            blocks.append("\t".join(cell.text for cell in row.cells))
    text = normalise_newlines("\n".join(blocks))
    if len(text) > max_text_bytes:
        return Extracted(kind="docx", skip_reason=f"more than the {human_bytes(max_text_bytes)} text limit")
    return Extracted(text=text, kind="docx")
