"""``hearth chat`` (one-shot or interactive) and ``hearth serve`` (an OpenAI-compatible server).

Both start the model in an engine process through the supervisor, so a bad
file ends in one line of explanation, never a traceback. The engine modules
are imported inside the handlers: other commands do not pay for them.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from hearth.cli.library_cmds import resolve_model
from hearth.cli.output import print_json
from hearth.core.chats import ChatStore
from hearth.core.errors import HearthError
from hearth.core.model_entry import ModelEntry
from hearth.core.services import Services

if TYPE_CHECKING:
    from hearth.engine.client import EngineClient, SamplingParams
    from hearth.engine.load_settings import ResolvedLoadSettings
    from hearth.engine.stream import ChatStats

_HELP = "Commands: /new starts a new conversation, /exit (or Ctrl-D) quits, Ctrl-C stops a reply."


def register(commands: Any) -> None:
    chat = commands.add_parser("chat", help="chat with a model (one question with --prompt, else interactively)")
    chat.add_argument("model", metavar="MODEL", help="library id or .gguf path")
    chat.add_argument("--prompt", metavar="TEXT", help="ask once, print the reply and exit")
    chat.add_argument("--system", metavar="TEXT", default="", help="system prompt")
    chat.add_argument("--max-tokens", metavar="N", type=int, help="longest reply in tokens")
    chat.add_argument("--temperature", metavar="T", type=float, help="sampling temperature (0 = greedy)")
    chat.add_argument("--seed", metavar="S", type=int, help="sampling seed, for repeatable replies")
    chat.add_argument("--json", action="store_true", help="with --prompt: print one JSON object with text and stats")
    chat.set_defaults(handler=cmd_chat)

    serve = commands.add_parser("serve", help="serve a model over the OpenAI API (this computer only by default)")
    serve.add_argument("model", metavar="MODEL", help="library id or .gguf path")
    serve.add_argument("--port", metavar="P", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    serve.add_argument("--api-key", metavar="K", help="require this key from clients")
    serve.add_argument("--host", metavar="H", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; others expose the model to your network)")
    serve.set_defaults(handler=cmd_serve)


def _load(services: Services, key: str, quiet: bool) -> tuple[ModelEntry, ResolvedLoadSettings]:
    from hearth.engine.load_settings import LoadSettingsStore, resolve_load_settings

    entry = resolve_model(services, key)
    settings = resolve_load_settings(entry, LoadSettingsStore.open(services.paths).get(entry.id))
    if not quiet:
        for note in settings.notes:
            print(f"hearth: note: {note}", file=sys.stderr)
    return entry, settings


def _progress(quiet: bool) -> Any:
    def show(done: int, total: int, detail: str) -> None:
        if not quiet and sys.stderr.isatty():
            sys.stderr.write(f"\r\033[K{detail}…" if done < total else "\r\033[K")
            sys.stderr.flush()

    return show


def _stats_line(stats: ChatStats) -> str:
    parts = [f"{stats.completion_tokens} tokens"]
    if stats.tokens_per_second:
        parts.append(f"{stats.tokens_per_second:.1f} tokens/s")
    if stats.time_to_first_token is not None:
        parts.append(f"first token {stats.time_to_first_token * 1000:.0f} ms")
    parts.append(stats.finish_reason)
    return "[" + ", ".join(parts) + "]"


def cmd_chat(services: Services, args: argparse.Namespace) -> int:
    from hearth.engine.client import SamplingParams
    from hearth.engine.supervisor import EngineSupervisor

    if args.json and args.prompt is None:
        raise HearthError("--json needs --prompt (the interactive chat prints text as it comes)")
    quiet = bool(args.json)
    entry, settings = _load(services, args.model, quiet)
    params = SamplingParams(temperature=args.temperature, max_tokens=args.max_tokens, seed=args.seed)
    with EngineSupervisor(services.paths) as supervisor:
        handle = supervisor.start(entry, settings, progress=_progress(quiet))
        with handle.client() as client:
            if args.prompt is not None:
                return _one_shot(client, entry, args, params)
            return _repl(services, client, entry, args.system, params)


def _one_shot(client: EngineClient, entry: ModelEntry, args: argparse.Namespace, params: SamplingParams) -> int:
    messages = ([{"role": "system", "content": args.system}] if args.system else [])
    messages.append({"role": "user", "content": args.prompt})
    stream = client.stream_chat(messages, params)
    if args.json:
        result = stream.result()
        print_json({"model": entry.id, "name": entry.name, "text": result.text, "stats": result.stats.to_dict()})
        return 0
    for delta in stream:
        sys.stdout.write(delta)
        sys.stdout.flush()
    sys.stdout.write("\n")
    assert stream.stats is not None
    print(_stats_line(stream.stats), file=sys.stderr)
    return 0


def _repl(services: Services, client: EngineClient, entry: ModelEntry, system: str, params: SamplingParams) -> int:
    """Read questions line by line, stream replies, keep the conversation in the chats store."""
    from hearth.engine.errors import ContextOverflowError

    interactive = sys.stdin.isatty()
    print(f"Chatting with {entry.name}. {_HELP}", file=sys.stderr)
    with ChatStore.open(services.paths) as store:
        if store.notice:
            print(f"hearth: warning: {store.notice}", file=sys.stderr)
        conversation_id: str | None = None
        history: list[dict[str, str]] = [{"role": "system", "content": system}] if system else []
        while True:
            try:
                line = input("> " if interactive else "")
            except EOFError:
                break
            text = line.strip()
            if not text:
                continue
            if text in ("/exit", "/quit"):
                break
            if text == "/new":
                conversation_id, history = None, history[:1] if system else []
                print("Started a new conversation.", file=sys.stderr)
                continue
            if text.startswith("/"):
                print(_HELP, file=sys.stderr)
                continue
            if conversation_id is None:
                conversation_id = store.create_conversation(
                    text[:60], system_prompt=system, model_id=entry.id, params=params.to_dict()).id
            store.add_message(conversation_id, "user", text)
            history.append({"role": "user", "content": text})
            try:
                stream = client.stream_chat(history, params)
            except ContextOverflowError as exc:
                print(f"hearth: error: {exc} (type /new)", file=sys.stderr)
                continue
            try:
                for delta in stream:
                    sys.stdout.write(delta)
                    sys.stdout.flush()
            except KeyboardInterrupt:
                stream.cancel()
            except ContextOverflowError as exc:
                print(f"hearth: error: {exc} (type /new)", file=sys.stderr)
            sys.stdout.write("\n")
            stats = stream.stats
            if stats is None:
                continue
            store.add_message(conversation_id, "assistant", stream.text, partial=stats.partial,
                              stats=stats.to_dict(), model_id=entry.id)
            history.append({"role": "assistant", "content": stream.text})
            print(_stats_line(stats), file=sys.stderr)
    return 0


def cmd_serve(services: Services, args: argparse.Namespace) -> int:
    from hearth.engine.endpoint import is_loopback_host
    from hearth.engine.supervisor import EngineSupervisor

    if not is_loopback_host(args.host):
        exposure = "without an API key: anyone who can reach it can use it" if not args.api_key else "with an API key"
        print(f"hearth: warning: serving on {args.host} makes the model reachable from your network, {exposure}",
              file=sys.stderr)
    entry, settings = _load(services, args.model, quiet=False)
    with EngineSupervisor(services.paths) as supervisor:
        handle = supervisor.start(entry, settings, host=args.host, port=args.port, api_key=args.api_key,
                                  progress=_progress(False))
        port = handle.endpoint.base_url.rsplit(":", 1)[1].split("/")[0]
        host = f"[{args.host}]" if ":" in args.host else args.host
        key_note = " (clients must send the API key)" if args.api_key else ""
        print(f"Serving {entry.name} at http://{host}:{port}/v1{key_note}. Press Ctrl-C to stop.", flush=True)
        try:
            handle.wait()
        except KeyboardInterrupt:
            print("Stopped.", file=sys.stderr)
            return 0
        crash = handle.diagnose(wait=0)
        if crash is not None:
            raise crash
    return 0
