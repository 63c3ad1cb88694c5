"""The static chat-template scanner: every real escape shape is caught, real chat templates pass.

The malicious fixtures are proven real first: an unsandboxed Jinja2 renders them
and the marker file appears. Jinja2's sandbox (what llama-cpp-python uses) must
refuse them, and the scanner must flag them without rendering anything.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from hearth.core.errors import GGUFError
from hearth.core.gguf_facts import read_facts
from hearth.core.template_scan import (
    CAUTION,
    DANGER,
    TEMPLATE_KEY,
    read_chat_template,
    read_chat_templates,
    scan_template,
    split_code,
)
from tests.helpers.gguf_factory import CHAT_TEMPLATE
from tests.helpers.malicious_templates import NEEDS_TOUCH, PAYLOADS, malicious_template

TinyGGUF = Callable[..., Path]
MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]

# Written for these tests in the styles real models use (ChatML with tools, Llama 3,
# Gemma, Mistral, DeepSeek-style reasoning); each exercises constructs the rules must allow.
BENIGN = {
    "factory": CHAT_TEMPLATE,
    "chatml_tools": (
        "{%- if tools %}<|im_start|>system\n{{ messages[0]['content'] if messages[0]['role'] == 'system' "
        "else 'You are a helpful assistant.' }}\n# Tools\n{%- for tool in tools %}\n{{ tool | tojson }}"
        "{%- endfor %}<|im_end|>\n{%- endif %}"
        "{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}"
        "{%- for message in messages %}"
        "{%- if message.role == 'assistant' and message.tool_calls %}<|im_start|>assistant\n"
        "{%- for tool_call in message.tool_calls %}<tool_call>\n{\"name\": \"{{ tool_call.function.name }}\", "
        "\"arguments\": {{ tool_call.function.arguments | tojson }}}\n</tool_call>{%- endfor %}<|im_end|>\n"
        "{%- elif message.role == 'tool' %}<|im_start|>user\n<tool_response>\n{{ message.content }}"
        "\n</tool_response><|im_end|>\n"
        "{%- else %}<|im_start|>{{ message.role }}\n{{ message.content.split('</think>')[-1] | trim }}"
        "<|im_end|>\n{%- endif %}{%- endfor %}"
        "{%- if add_generation_prompt %}<|im_start|>assistant\n{%- endif %}"
    ),
    "llama3": (
        "{{- bos_token }}{%- set date_string = strftime_now('%d %b %Y') %}"
        "{%- for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
        " + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
        "{%- if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
    ),
    "gemma": (
        "{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
        "{% set first_user_prefix = messages[0]['content'] + '\\n\\n' %}{% set loop_messages = messages[1:] %}"
        "{% else %}{% set first_user_prefix = '' %}{% set loop_messages = messages %}{% endif %}"
        "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
        "{% endif %}{% set role = 'model' if message['role'] == 'assistant' else message['role'] %}"
        "{{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else '') }}"
        "{{ message['content'] | trim }}{{ '<end_of_turn>\\n' }}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}"
    ),
    "mistral": (
        "{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content'] %}"
        "{%- set loop_messages = messages[1:] %}{%- else %}{%- set loop_messages = messages %}{%- endif %}"
        "{{- bos_token }}{%- for message in loop_messages %}{%- if message['role'] == 'user' %}"
        "{%- if loop.last and system_message is defined %}{{- '[INST] ' + system_message + '\\n\\n' + "
        "message['content'] + '[/INST]' }}{%- else %}{{- '[INST] ' + message['content'] + '[/INST]' }}"
        "{%- endif %}{%- elif message['role'] == 'assistant' %}{{- ' ' + message['content'] + eos_token}}"
        "{%- else %}{{- raise_exception('Only user and assistant roles are supported!') }}{%- endif %}"
        "{%- endfor %}"
    ),
    "reasoning": (
        "{% set ns = namespace(is_first=false, is_tool=false, system_prompt='') %}"
        "{%- for message in messages %}{%- if message['role'] == 'system' %}"
        "{% set ns.system_prompt = message['content'] %}{%- endif %}{%- endfor %}{{ bos_token }}"
        "{{ ns.system_prompt }}{%- for message in messages %}{%- if message['role'] == 'user' %}"
        "{{ '<|User|>' + message['content'] }}{%- endif %}{%- if message['role'] == 'assistant' %}"
        "{% set content = message['content'] %}{% if '</think>' in content %}"
        "{% set content = content.split('</think>')[-1] %}{% endif %}{{ '<|Assistant|>' + content }}"
        "{%- endif %}{%- endfor %}{% if add_generation_prompt %}{{ '<|Assistant|><think>\\n' }}{% endif %}"
        "{# tool names are shown with spaces: #}{% for t in tools or [] %}{{ t.name|replace('_', ' ') }}"
        "{{ t|attr('description') }}{% endfor %}"
    ),
}


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_real_style_templates_have_no_findings(name: str) -> None:
    template = BENIGN[name]
    # They are valid Jinja that a sandbox renders, so the test data itself is sound.
    env = ImmutableSandboxedEnvironment()
    env.globals.update(raise_exception=lambda msg: "", strftime_now=lambda fmt: "01 Jan 2025")
    env.from_string(template).render(messages=MESSAGES[1:], add_generation_prompt=True, bos_token="<s>",
                                     eos_token="</s>", tools=[])
    assert scan_template(template) == []


@pytest.mark.parametrize("variant", sorted(PAYLOADS))
def test_malicious_fixture_really_escapes_without_a_sandbox(variant: str, tmp_path: Path) -> None:
    if variant in NEEDS_TOUCH and shutil.which("touch") is None:
        pytest.skip("this route runs the 'touch' command")
    marker = tmp_path / "marker it's here"
    jinja2.Environment().from_string(malicious_template(marker, variant)).render(messages=MESSAGES)
    assert marker.exists()


@pytest.mark.parametrize("variant", sorted(PAYLOADS))
def test_sandbox_refuses_every_malicious_fixture(variant: str, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    with pytest.raises(jinja2.TemplateError):
        ImmutableSandboxedEnvironment().from_string(malicious_template(marker, variant)).render(messages=MESSAGES)
    assert not marker.exists()


@pytest.mark.parametrize("variant", sorted(PAYLOADS))
def test_scanner_flags_every_malicious_fixture_as_danger(variant: str, tmp_path: Path) -> None:
    for chat in (True, False):
        findings = scan_template(malicious_template(tmp_path / "m", variant, chat=chat))
        assert any(f.severity == DANGER for f in findings), findings
        assert all(f.excerpt and f.detail for f in findings)


@pytest.mark.parametrize(("template", "rule"), [
    ("{{ ''.__class__ }}", "dunder"),
    ("{{ x|attr('__class__') }}", "dunder"),
    ("{{ x|attr('\\x5f\\x5fclass\\x5f\\x5f') }}", "escaped-underscore"),
    ("{{ x|attr('\\u005f\\u005fclass\\u005f\\u005f') }}", "escaped-underscore"),
    ("{{ x|attr('\\137\\137class\\137\\137') }}", "escaped-underscore"),
    ("{{ x|attr(name) }}", "attr-dynamic"),
    ("{% set d = '_' ~ '_' %}", "underscore-concat"),
    ("{% set d = ['_', '_']|join %}", "underscore-concat"),
    ("{% set d = '%c%c'|format(95, 95) %}", "char-codes"),
    ("{% set d = '%c%c' % (95, 95) %}", "char-codes"),
    ("{{ lipsum }}", "python-name"),
    ("{{ joiner() }}", "python-name"),
    ("{{ self._TemplateReference__context }}", "python-name"),
    ("{{ x.mro() }}", "internals"),
    ("{{ g.os.listdir('.') }}", "internals"),
    ("{{ m.popen('id') }}", "process-call"),
    ("{{ m.system('id') }}", "process-call"),
    ("{{ x[y]('os') }}", "python-string"),
    ("{{ 'a' }}{# comment #} __subclasses__ outside code", "strong-marker"),
    ("{{ ''.__class__", "dunder"),  # unterminated: scanned to the end
])
def test_each_rule(template: str, rule: str) -> None:
    findings = scan_template(template)
    assert rule in {f.rule for f in findings}
    assert any(f.severity == DANGER for f in findings)


def test_loading_other_templates_is_a_caution_not_a_danger() -> None:
    findings = scan_template("{% include 'other.jinja' %}{{ messages }}")
    assert [(f.rule, f.severity) for f in findings] == [("loader", CAUTION)]


@pytest.mark.parametrize("template", [
    "{% if message['role'] == 'system' %}{{ message['content'] }}{% endif %}",  # 'system' is a role
    "{{ name|replace('-', '_') }}{{ name|replace('_', ' ') }}",
    "{{ strftime_now('%Y-%m-%d') }}",
    "{# a comment may say __class__ #}{{ messages[0].content }}",
    "Plain text may mention __init__ and os.popen without code.",
    "{{ '}}' }}{% set x = {'a': {'b': 1}} %}{{ x.a.b }}",
])
def test_harmless_lookalikes_pass(template: str) -> None:
    assert scan_template(template) == []


def test_split_code_keeps_literals_apart() -> None:
    code = split_code("hi {{ a ~ '}} x' }} there {% if b == \"q\\\"z\" %}{# c #}")
    assert code.literals == ["}} x", 'q\\"z']
    assert "''" in code.bare and "x'" not in code.bare
    assert "there" not in code.full and "hi" not in code.full


def test_scanning_is_linear_on_hostile_input() -> None:
    # Thousands of openers, an unterminated string and long underscore runs: must just finish.
    text = "{{" * 50_000 + "'" + "_" * 200_000 + "{%" + "__a" * 50_000
    assert any(f.severity == DANGER for f in scan_template(text))


def test_read_full_template_beyond_the_facts_preview(tiny_gguf: TinyGGUF) -> None:
    long = CHAT_TEMPLATE + "{# " + "padding " * 500 + "#}"
    path = tiny_gguf(chat_template=long, extra={TEMPLATE_KEY + ".tool_use": "{{ tools|tojson }}"})
    facts = read_facts(path)
    assert len(str(facts.metadata[TEMPLATE_KEY])) < len(long)  # the facts keep a preview only
    assert read_chat_template(path) == long
    assert read_chat_templates(path) == {TEMPLATE_KEY: long, TEMPLATE_KEY + ".tool_use": "{{ tools|tojson }}"}


def test_read_template_of_file_without_one(tiny_gguf: TinyGGUF) -> None:
    assert read_chat_template(tiny_gguf(chat_template=None)) is None


def test_read_template_of_broken_file_raises_gguf_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"nope")
    with pytest.raises(GGUFError):
        read_chat_template(bad)
