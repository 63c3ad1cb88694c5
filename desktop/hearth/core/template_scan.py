"""Static checks of a GGUF chat template (Jinja2) for sandbox-escape attempts.

A chat template is code that llama-cpp-python runs in a Jinja2 sandbox each time
it formats a conversation. CVE-2024-34359 showed what an unsandboxed renderer
allows: ``{{ ().__class__.__base__.__subclasses__() ... popen('...') }}`` from a
model file. Sandboxes have been escaped since (CVE-2024-56326, CVE-2025-27516), so
Hearth reads the template *without running it* and flags the shapes such payloads
take: dunder attributes, Python internals and process APIs, ``attr()`` lookups built
at runtime, escaped or concatenated underscores, ``%c`` formatting of character
codes, and the Jinja globals (``lipsum``, ``cycler``, ``joiner``) that lead to
``__globals__``. Genuine chat templates need none of these.

Only Jinja code is judged (inside ``{{ }}`` and ``{% %}``; text outside is printed,
never run). A few strong markers are also searched for in the whole text, so a
template that confuses the small lexer below still cannot hide them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hearth.core.gguf_reader import read_header

DANGER = "danger"
CAUTION = "caution"
TEMPLATE_KEY = "tokenizer.chat_template"
LARGE_TEMPLATE = 32 * 1024  # real chat templates are a few KB; tool-calling ones reach ~15 KB


@dataclass(frozen=True)
class Finding:
    """One suspicious construct: which rule, how bad, and the code around it."""

    rule: str
    severity: str  # DANGER or CAUTION
    detail: str  # plain words, fit to follow "The chat template ..."
    excerpt: str


# Identifiers in Jinja code (outside string literals) that no chat template needs.
_BAD_NAMES = re.compile(
    r"(?<![\w.])(lipsum|cycler|joiner|builtins|getattr|eval|exec|import_module|"
    r"self(?=\s*[.\[]))(?!\w)")
_PROCESS_CALLS = re.compile(r"\.\s*(popen|system|check_output|spawn\w*|load_module)\s*\(")
_INTERNALS = re.compile(r"\.\s*(mro|func_globals|f_globals|f_builtins|f_back|gi_frame|gi_code|tb_frame|"
                        r"os|sys|subprocess|modules|builtins|globals)\b")
_DUNDER = re.compile(r"__\w+__")
_ESCAPED_UNDERSCORE = re.compile(r"\\(x5f|u005f|U0000005f|137|N\{LOW LINE\})", re.IGNORECASE)
# A literal made only of underscores next to an operator that joins strings.
_UNDERSCORE_BUILD = re.compile(r"(['\"])_+\1\s*[~+*]|[~+]\s*(['\"])_+\2"
                               r"|\[\s*(['\"])_+\3\s*,|,\s*(['\"])_+\4\s*\]")
_ATTR_CALL = re.compile(r"\|\s*attr\s*\(")
_PLAIN_ATTR = re.compile(r"\|\s*attr\s*\(\s*(['\"])[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*\1\s*\)")
_FORMATTING = re.compile(r"\|\s*format\s*\(|%\s*\(|''\s*%")
_LOADERS = re.compile(r"\{%-?\s*(import|from|include|extends)\b")
_BAD_LITERALS = {"os", "popen", "subprocess", "sys", "eval", "exec", "builtins", "globals",
                 "getattr", "mro", "subclasses", "modules", "import_module", "system("}
# Searched in the whole text as a backstop to the lexer.
_STRONG = re.compile(r"__(globals|builtins|subclasses|import|mro)__|\.popen\s*\(")


@dataclass(frozen=True)
class TemplateCode:
    """The Jinja code of a template: as written, with literals blanked, and the literals."""

    full: str
    bare: str  # string literals replaced by ''
    literals: list[str]


def split_code(template: str) -> TemplateCode:
    """Pull the Jinja code out of ``template`` (expressions and statements, newline-joined).

    Comments are dropped. An unterminated block runs to the end of the text (Jinja
    would refuse to compile it; scanning it as code is the safe reading).
    """
    full: list[str] = []
    code: list[str] = []
    literals: list[str] = []
    opener = re.compile(r"\{[{%#]")
    in_code = re.compile(r"['\"]|[}%]\}")
    pos, n = 0, len(template)
    while True:
        start = opener.search(template, pos)
        if start is None:
            break
        kind = template[start.start() + 1]
        if kind == "#":
            end = template.find("#}", start.end())
            pos = n if end < 0 else end + 2
            continue
        closing = "}}" if kind == "{" else "%}"
        parts: list[str] = [template[start.start():start.end()]]
        begin = start.start()
        i = start.end()
        while i < n:
            hit = in_code.search(template, i)
            if hit is None:
                parts.append(template[i:])
                i = n
                break
            parts.append(template[i:hit.start()])
            token = hit.group()
            if token in ("'", '"'):
                j = hit.end()
                while j < n and template[j] != token:
                    j += 2 if template[j] == "\\" else 1
                literals.append(template[hit.end():min(j, n)])
                parts.append("''")
                i = j + 1
            elif token == closing:
                parts.append(token)
                i = hit.end()
                break
            else:
                parts.append(token)
                i = hit.end()
        code.append("".join(parts))
        full.append(template[begin:i])
        pos = i
    return TemplateCode("\n".join(full), "\n".join(code), literals)


def _excerpt(text: str, start: int, end: int, width: int = 40) -> str:
    shown = text[max(0, start - width): end + width].replace("\n", " ")
    return shown if len(shown) <= 120 else shown[:117] + "…"


def scan_template(template: str) -> list[Finding]:
    """Every suspicious construct in ``template``; an empty list means nothing was found."""
    code = split_code(template)
    found: list[Finding] = []

    def add(rule: str, severity: str, detail: str, text: str, match: re.Match[str]) -> None:
        found.append(Finding(rule, severity, detail, _excerpt(text, match.start(), match.end())))

    for m in _DUNDER.finditer(code.full):
        add("dunder", DANGER, f"reaches into Python internals ({m.group()})", code.full, m)
    for m in _BAD_NAMES.finditer(code.bare):
        add("python-name", DANGER, f"uses '{m.group(1)}', a way out of the template sandbox", code.bare, m)
    for m in _PROCESS_CALLS.finditer(code.bare):
        add("process-call", DANGER, f"calls '.{m.group(1)}()', which runs programs", code.bare, m)
    for m in _INTERNALS.finditer(code.bare):
        add("internals", DANGER, f"reads '.{m.group(1)}', a Python internal or module", code.bare, m)
    for m in _UNDERSCORE_BUILD.finditer(code.full):
        add("underscore-concat", DANGER, "builds a name out of underscores, a way to hide dunders", code.full, m)
    plain = {m.start() for m in _PLAIN_ATTR.finditer(code.full)}
    for m in _ATTR_CALL.finditer(code.full):
        if m.start() not in plain:  # attr('name') with a plain literal is judged by the literal itself
            add("attr-dynamic", DANGER, "looks up an attribute by a computed name with attr()", code.full, m)
    if any("%c" in lit for lit in code.literals):
        for m in _FORMATTING.finditer(code.bare):
            add("char-codes", DANGER, "formats character codes into text, a way to hide names", code.bare, m)
    for m in _LOADERS.finditer(code.full):
        add("loader", CAUTION, f"tries to {m.group(1)} another template", code.full, m)
    for lit in code.literals:
        for m in _ESCAPED_UNDERSCORE.finditer(lit):
            add("escaped-underscore", DANGER, "hides underscores as escape codes", lit, m)
        word = lit.strip().lower()
        if word in _BAD_LITERALS:
            whole = re.match(r"(?s).*", lit)
            assert whole is not None
            add("python-string", DANGER, f"names '{word}' in a string, a way out of the sandbox", lit, whole)
    if not any(f.severity == DANGER for f in found):
        for m in _STRONG.finditer(template):
            add("strong-marker", DANGER, f"contains '{m.group()}', the mark of a sandbox escape", template, m)
    return found


def read_chat_template(path: str | Path) -> str | None:
    """The full ``tokenizer.chat_template`` of a GGUF file (GGUFFacts keeps only 200 characters).

    Raises GGUFError when the file is unreadable; None when it has no template.
    Named alternatives (``tokenizer.chat_template.<name>``, e.g. tool use) are not returned here;
    see :func:`read_chat_templates`.
    """
    return read_chat_templates(path).get(TEMPLATE_KEY)


def read_chat_templates(path: str | Path) -> dict[str, str]:
    """Every chat template in a GGUF header, by metadata key (the default and any named ones)."""
    meta = read_header(Path(path)).metadata
    return {k: v for k, v in meta.items()
            if (k == TEMPLATE_KEY or k.startswith(TEMPLATE_KEY + ".")) and isinstance(v, str) and v.strip()}
