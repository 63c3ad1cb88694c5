"""Plain text out of the user's files: text and source code, PDF (pypdf) and Word .docx (python-docx).

:func:`extract_text` never raises for a bad file: it returns an
:class:`Extracted` whose ``skip_reason`` says in a few words why there is no
text (binary file, encrypted PDF, over the size limit, unreadable...). Every
reason ends up in the collection's report.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from hearth.core.units import human_bytes

log = logging.getLogger(__name__)

#: Default per-file limit on text size (bytes of a text file, characters of extracted text).
DEFAULT_MAX_TEXT_BYTES = 50_000_000
_SNIFF = 8192

TEXT_SUFFIXES = frozenset("""
    txt text md markdown mdx rst adoc asciidoc org tex bib log csv tsv json jsonl ndjson yaml yml toml
    ini cfg conf properties env xml html htm xhtml svg srt vtt
    py pyi pyx ipynb js mjs cjs jsx ts tsx vue svelte java kt kts scala groovy gradle c h cc cpp cxx hh hpp
    hxx m mm cs fs fsx vb go rs swift dart rb php pl pm lua r jl hs ml mli ex exs erl hrl clj cljs el lisp
    scm rkt nim zig v sol sh bash zsh fish ps1 psm1 bat cmd sql graphql gql proto thrift css scss sass less
    cmake mk dockerfile tf hcl nix diff patch
""".split())
#: Text files commonly named without a suffix.
TEXT_NAMES = frozenset({"readme", "license", "licence", "copying", "authors", "changelog", "makefile",
                        "dockerfile", "containerfile", "gemfile", "rakefile", "procfile", "notice"})
PDF_SUFFIXES = frozenset({"pdf"})
DOCX_SUFFIXES = frozenset({"docx"})
#: Formats we recognise but cannot read, with the hint shown as the skip reason.
UNSUPPORTED = {
    "doc": "old Word format (.doc); save it as .docx", "rtf": "RTF is not supported; save it as .docx or .txt",
    "odt": "OpenDocument text is not supported; save it as .docx", "epub": "EPUB books are not supported",
    "pptx": "PowerPoint files are not supported", "xlsx": "Excel files are not supported",
}


@dataclass
class Extracted:
    """The text of one file, or the reason there is none."""

    text: str = ""
    kind: str = "text"  # "text", "pdf" or "docx"
    skip_reason: str | None = None
    #: Something the user may want to know although the file was used (e.g. its encoding).
    note: str | None = None
    #: Character offset where each PDF page starts (page 1 first); empty for other kinds.
    page_starts: list[int] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return self.skip_reason is not None


def kind_of(path: Path) -> str:
    """``"pdf"``, ``"docx"``, ``"text"`` (known text suffix or name) or ``"unknown"``."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in TEXT_SUFFIXES or (not suffix and path.name.lower() in TEXT_NAMES):
        return "text"
    return "unknown"


def extract_text(path: str | os.PathLike[str], max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> Extracted:
    """Read ``path`` as text; never raises for the file's own problems (see :class:`Extracted`)."""
    path = Path(path)
    kind = kind_of(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix in UNSUPPORTED:
        return Extracted(kind=kind, skip_reason=UNSUPPORTED[suffix])
    try:
        if kind == "pdf":
            from hearth.core.documents.extract_office import read_pdf

            result = read_pdf(path, max_text_bytes)
        elif kind == "docx":
            from hearth.core.documents.extract_office import read_docx

            result = read_docx(path, max_text_bytes)
        else:
            result = read_text_file(path, max_text_bytes, known_text=kind == "text")
    except OSError as exc:
        return Extracted(kind=kind, skip_reason=f"could not be read: {exc.strerror or exc}")
    except ImportError as exc:  # an installation without the optional parser
        return Extracted(kind=kind, skip_reason=f"{kind.upper()} support is not installed ({exc.name})")
    except Exception as exc:  # a parser bug or a file it chokes on must not stop the whole index
        log.warning("extracting %s failed", path, exc_info=True)
        return Extracted(kind=kind, skip_reason=f"could not be read ({exc.__class__.__name__}: {exc})"[:300])
    if not result.skipped and not result.text.strip():
        result.skip_reason = "no text in it" if kind != "pdf" else "no text in it (a scanned PDF needs OCR first)"
    return result


def read_text_file(path: Path, max_text_bytes: int, known_text: bool = True) -> Extracted:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252/Latin-1."""
    size = path.stat().st_size
    if size > max_text_bytes:
        return Extracted(skip_reason=f"larger than the {human_bytes(max_text_bytes)} limit ({human_bytes(size)})")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Extracted(text=normalise_newlines(data.decode("utf-16")), note="UTF-16 text")
        except UnicodeDecodeError:
            return Extracted(skip_reason="broken UTF-16 text")
    if b"\x00" in data[:_SNIFF] or (not known_text and b"\x00" in data):
        return Extracted(skip_reason="binary file (not text)")
    try:
        return Extracted(text=normalise_newlines(data.decode("utf-8-sig")))
    except UnicodeDecodeError:
        pass
    for encoding, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) > 0.05:
            return Extracted(skip_reason="binary file (not text in any known encoding)")
        return Extracted(text=normalise_newlines(text), note=f"not UTF-8; read as {label}")
    raise AssertionError("latin-1 decodes every byte")


def _control_ratio(text: str) -> float:
    sample = text[:_SNIFF]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls / len(sample)


def normalise_newlines(text: str) -> str:
    """One newline convention, so char offsets and line numbers agree with what editors show."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
