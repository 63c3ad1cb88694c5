"""Chat templates that try to escape Jinja2's sandbox and create a marker file.

Each one is a real attack shape: the CVE-2024-34359 chain through
``().__class__.__base__.__subclasses__()``, the ``lipsum``/``cycler`` globals,
and the disguises later escapes used (``attr()`` with ``\\x5f`` escapes, dunders
built by concatenation or from ``%c`` character codes). Rendered by an
unsandboxed Jinja2 environment they really create ``marker`` (tests/unit/
test_template_scan.py proves it); a safe engine must leave no marker behind.

Use :func:`malicious_template` in engine tests::

    template = malicious_template(tmp_path / "pwned", "builtins_open")
    write_tiny_gguf(path, chat_template=template)
    ...load and chat...
    assert not (tmp_path / "pwned").exists()
"""

from __future__ import annotations

import shlex
from pathlib import Path

#: A normal chat body appended to every payload, so the template still formats a chat.
_CHAT = (
    "{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}</s>\n"
    "{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
_FIND_WARNINGS = "{% for c in ().__class__.__base__.__subclasses__() %}{% if c.__name__ == 'catch_warnings' %}"
_U = "\\x5f\\x5f"  # "__" written as Jinja string escapes

#: Payloads with MARKER standing for the marker path as a Jinja string literal, and MARKER_SH
#: for the same path quoted for a POSIX shell (the popen routes run ``touch``).
PAYLOADS: dict[str, str] = {
    # The published CVE-2024-34359 shape: subclasses -> catch_warnings -> builtins -> os.popen.
    "subclasses_popen": _FIND_WARNINGS
    + "{{ c()._module.__builtins__['__import__']('os').popen('touch ' ~ MARKER_SH).close() }}"
    "{% endif %}{% endfor %}",
    # The same chain without a shell: builtins.open, so it works on every OS.
    "builtins_open": _FIND_WARNINGS
    + "{{ c.__init__.__globals__['__builtins__']['open'](MARKER, 'w').close() }}"
    "{% endif %}{% endfor %}",
    # Jinja's own globals lead to a module that imported os.
    "lipsum_globals": "{{ lipsum.__globals__['os'].popen('touch ' ~ MARKER_SH).close() }}",
    "cycler_init": "{{ cycler.__init__.__globals__.os.popen('touch ' ~ MARKER_SH).close() }}",
    # No literal dunder anywhere: attr() with \x5f escapes.
    "attr_escaped": (
        f"{{% for c in ()|attr('{_U}class{_U}')|attr('{_U}base{_U}')|attr('{_U}subclasses{_U}')() %}}"
        f"{{% if c|attr('{_U}name{_U}') == 'catch_warnings' %}}"
        f"{{{{ ((c|attr('{_U}init{_U}')|attr('{_U}globals{_U}'))['{_U}builtins{_U}']['open'])(MARKER, 'w')"
        ".close() }}{% endif %}{% endfor %}"
    ),
    # Dunders built by string concatenation at render time.
    "concat_underscores": (
        "{% set u = '_' * 2 %}"
        "{% for c in ()|attr(u ~ 'class' ~ u)|attr(u ~ 'base' ~ u)|attr(u ~ 'subclasses' ~ u)() %}"
        "{% if c|attr(u ~ 'name' ~ u) == 'catch_warnings' %}"
        "{{ ((c|attr(u ~ 'init' ~ u)|attr(u ~ 'globals' ~ u))[u ~ 'builtins' ~ u]['open'])(MARKER, 'w')"
        ".close() }}{% endif %}{% endfor %}"
    ),
    # Dunders built from character codes (95 is "_").
    "format_chars": (
        "{% set u = '%c%c'|format(95, 95) %}"
        "{{ (lipsum|attr(u ~ 'globals' ~ u))['os'].popen('touch ' ~ MARKER_SH).close() }}"
    ),
}
#: Payloads that need a ``touch`` command (the others only need Python).
NEEDS_TOUCH = frozenset({"subclasses_popen", "lipsum_globals", "cycler_init", "format_chars"})


def jinja_string(text: str) -> str:
    """``text`` as a single-quoted Jinja string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def malicious_template(marker: str | Path, variant: str = "builtins_open", chat: bool = True) -> str:
    """A template that tries to create ``marker`` by the named route (see :data:`PAYLOADS`)."""
    payload = PAYLOADS[variant].replace("MARKER_SH", jinja_string(shlex.quote(str(marker))))
    payload = payload.replace("MARKER", jinja_string(str(marker)))
    return payload + (_CHAT if chat else "")
