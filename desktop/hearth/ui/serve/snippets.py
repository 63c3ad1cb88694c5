"""Ready-to-paste examples for the Serve tab: a curl command and a Python ``openai`` call.

Plain text builders, so the shown snippet (key masked) and the copied one (real
key) always come from the same template.
"""

from __future__ import annotations

#: Any name works (the server answers with the loaded model); this one reads well in a snippet.
ANY_MODEL = "hearth"
NO_KEY = "not-needed"  # the openai client insists on some key even when the server needs none
PROMPT = "Hello!"


def mask(key: str) -> str:
    """A key as shown while hidden: its first characters, then dots (enough to tell keys apart)."""
    return key[:9] + "•" * 12 if len(key) > 12 else "•" * len(key)


def curl_snippet(url: str, key: str | None, model: str | None) -> str:
    lines = [f"curl {url}/chat/completions \\", '  -H "Content-Type: application/json" \\']
    if key is not None:
        lines.append(f'  -H "Authorization: Bearer {key}" \\')
    lines.append(f'  -d \'{{"model": "{model or ANY_MODEL}", '
                 f'"messages": [{{"role": "user", "content": "{PROMPT}"}}]}}\'')
    return "\n".join(lines)


def python_snippet(url: str, key: str | None, model: str | None) -> str:
    return "\n".join([
        "from openai import OpenAI",
        "",
        f'client = OpenAI(base_url="{url}", api_key="{key if key is not None else NO_KEY}")',
        "reply = client.chat.completions.create(",
        f'    model="{model or ANY_MODEL}",',
        f'    messages=[{{"role": "user", "content": "{PROMPT}"}}],',
        ")",
        "print(reply.choices[0].message.content)",
    ])
