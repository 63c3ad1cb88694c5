"""The engine process: llama-cpp-python's OpenAI-compatible server for one model.

Runs only inside the child process that ``hearth engine`` starts (see
:mod:`hearth.engine.launch` for the conversation with the parent). It reads an
:class:`EngineLaunch` from stdin, binds its socket first (so the parent learns
the port even while a big model loads), builds the server app from the launch
settings and serves it with uvicorn until stdin closes or it is terminated.
This is the only module, with :mod:`hearth.engine.server_patches`, that
imports llama_cpp.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import traceback
from typing import Any

from hearth.engine.launch import BAD_LAUNCH, ERROR, LISTENING, LOAD_FAILED, MARKER, EngineLaunch


def _say(kind: str, text: str) -> None:
    sys.stdout.write(f"{MARKER}{kind} {' '.join(text.split())}\n")
    sys.stdout.flush()


def _exit_when_parent_closes_stdin() -> None:
    """The parent holds our stdin open; EOF means it stopped us or died, so exit at once."""

    def watch() -> None:
        try:
            while sys.stdin.buffer.read(1):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _bind(host: str, port: int) -> socket.socket:
    """Bind without listening: clients are refused (not left hanging) until uvicorn serves."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns TCP_NODELAY on only for such sockets, and without
    # it every reply on a kept-alive connection waited ~40 ms for delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if sys.platform != "win32":  # on Windows this flag would let another program share the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def _clear_server_environment() -> None:
    """llama-cpp-python's settings also read environment variables (MODEL, N_CTX, CONFIG_FILE...).

    Drop those names so only Hearth's launch settings apply.
    """
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    names = {n.upper() for n in (*ModelSettings.model_fields, *ServerSettings.model_fields)} | {"CONFIG_FILE"}
    for key in [k for k in os.environ if k.upper() in names]:
        del os.environ[key]


def _needs_mean_pooling(model_path: str) -> bool:
    """A chat model asked to embed has no pooling of its own: without one it gives a vector per token."""
    from hearth.core.errors import GGUFError
    from hearth.core.gguf_facts import read_facts

    try:
        return read_facts(model_path).pooling_type is None
    except GGUFError:
        return False  # the loader will explain the file


def chat_format_names() -> list[str]:
    from llama_cpp import llama_chat_format

    return sorted(llama_chat_format.LlamaChatCompletionHandlerRegistry()._chat_handlers)


def build_app(launch: EngineLaunch) -> Any:
    """The FastAPI app of llama_cpp.server with the model loaded (slow: this loads the weights)."""
    from hearth.engine import server_patches

    server_patches.apply()
    import llama_cpp
    import llama_cpp.server.app as server_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    if launch.embedding and _needs_mean_pooling(launch.model_path):
        server_patches.default_pooling(llama_cpp.LLAMA_POOLING_TYPE_MEAN)
        print("hearth engine: the file names no pooling; embedding with mean pooling", file=sys.stderr)

    server_patches.patch_app(server_app)

    _clear_server_environment()
    if launch.chat_format and launch.chat_format not in chat_format_names():
        raise ValueError(f"unknown chat format '{launch.chat_format}' (known: {', '.join(chat_format_names())})")
    gpu_layers = launch.n_gpu_layers
    if gpu_layers is None:
        gpu_layers = -1 if llama_cpp.llama_supports_gpu_offload() else 0
    print(f"hearth engine: offloading {gpu_layers} layers to the GPU (-1 = all)", file=sys.stderr)
    model = ModelSettings(
        model=launch.model_path, model_alias=launch.model_alias, n_ctx=launch.n_ctx,
        n_batch=launch.n_batch, n_ubatch=min(launch.n_batch, 512), n_threads=launch.n_threads,
        n_threads_batch=launch.n_threads, n_gpu_layers=gpu_layers, flash_attn=launch.flash_attn,
        use_mmap=launch.use_mmap, use_mlock=launch.use_mlock, chat_format=launch.chat_format,
        embedding=launch.embedding,
        # The server's default keeps logits for every prompt token (for prompt logprobs),
        # which costs memory and prompt speed; Hearth never asks for them.
        logits_all=False, verbose=True,
    )
    # Streams run to the end rather than being cut short by the next request.
    server = ServerSettings(host=launch.host, port=launch.port, api_key=launch.api_key, interrupt_requests=False)
    return server_app.create_app(server_settings=server, model_settings=[model])


def _guard_network() -> None:
    """Install the offline guard here too: the engine must not reach out while Hearth is offline.

    The offline state arrives through the inherited ``HEARTH_OFFLINE``; anything
    the guard sees leaving the machine is written to this engine's log.
    """
    from hearth.core import privacy
    from hearth.core.netguard import GUARD
    from hearth.core.netlog import NETWORK_LOG

    def report(event: object) -> None:
        if not getattr(event, "loopback", True):
            print(f"hearth engine: network {event}", file=sys.stderr)

    NETWORK_LOG.subscribe(report)
    offline = privacy.env_offline()
    GUARD.install().set_offline(offline)
    privacy.apply_to_hub_client(offline)
    print(f"hearth engine: offline mode {'on' if offline else 'off'}", file=sys.stderr)


def run_engine() -> int:
    """Serve one model until stdin closes. Returns the process exit code."""
    _guard_network()
    try:
        launch = EngineLaunch.from_json(sys.stdin.buffer.readline().decode("utf-8"))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        _say(ERROR, f"bad launch settings: {exc}")
        return BAD_LAUNCH
    _exit_when_parent_closes_stdin()
    print(f"hearth engine: launch {launch.described()}", file=sys.stderr)
    try:
        sock = _bind(launch.host, launch.port)
    except OSError as exc:
        _say(ERROR, f"cannot listen on {launch.host}:{launch.port}: {exc.strerror or exc}")
        return LOAD_FAILED
    host, port = sock.getsockname()[:2]
    _say(LISTENING, f"{host} {port}")
    try:
        app = build_app(launch)
    except Exception as exc:  # the loader's own words are in the log above this line
        traceback.print_exc(file=sys.stderr)
        _say(ERROR, str(exc) or exc.__class__.__name__)
        return LOAD_FAILED
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="info", access_log=False,
                            timeout_graceful_shutdown=3)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def backend_info() -> dict[str, Any]:
    """What this llama.cpp build can do; printed by ``hearth engine --probe``."""
    import llama_cpp

    return {
        "llama_cpp_python": llama_cpp.__version__,
        "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
        "mmap": bool(llama_cpp.llama_supports_mmap()),
        "mlock": bool(llama_cpp.llama_supports_mlock()),
        "chat_formats": chat_format_names(),
    }


def run_probe() -> int:
    print(json.dumps(backend_info()))
    return 0
