"""A loopback Hugging Face Hub that the real huggingface_hub client talks to over real HTTP.

Two servers on 127.0.0.1: the "Hub" (API, /resolve, whoami) and a "CDN" on another
port that LFS downloads are redirected to, as on the real Hub. It speaks what
huggingface_hub 2.x sends: /api/models with search/author/filter/sort/limit/expand
and Link-header cursor pagination, /api/models/{repo}[/revision/{rev}] with
``blobs=true`` siblings, /api/models/{repo}/tree/{rev}, /api/whoami-v2, and
HEAD/GET /{repo}/resolve/{rev}/{file} (302 to the CDN with X-Repo-Commit,
X-Linked-Etag and X-Linked-Size; Range requests answered 206). Gated repositories
answer 401 ``X-Error-Code: GatedRepo`` without a granted token. Faults can be
injected (cut a connection after N bytes, slow streams, N failing answers), and
every request is logged so a test can assert that none was sent.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.helpers.hub_handler import HubHandler
from tests.helpers.hub_repos import EmuFile, EmuRepo, default_last_modified, gguf_summary


@dataclass
class Fault:
    """One injected misbehaviour, applied to requests whose path contains ``match``."""

    kind: str  # "cut" (close after ``after_bytes`` body bytes), "status", "slow"
    match: str
    host: str | None = None  # "hub", "cdn" or None for both
    times: int | None = 1  # None: every matching request
    after_bytes: int = 0
    status: int = 500
    bytes_per_s: int = 0
    hits: int = 0


@dataclass(frozen=True)
class LoggedRequest:
    host: str  # "hub" or "cdn"
    method: str
    path: str
    query: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def range(self) -> str | None:
        return self.headers.get("range")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, emulator: HubEmulator, role: str) -> None:
        super().__init__(("127.0.0.1", 0), HubHandler)
        self.emulator = emulator
        self.role = role


class HubEmulator:
    """Start with :meth:`start` (the ``hub`` fixture does it), add repositories, point HF_ENDPOINT at :attr:`url`."""

    def __init__(self) -> None:
        self.repos: dict[str, EmuRepo] = {}
        self.tokens: dict[str, str] = {}  # token -> user name
        self.faults: list[Fault] = []
        self.log: list[LoggedRequest] = []
        self.lock = threading.Lock()
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []

    # ---- life ----------------------------------------------------------------------------
    def start(self) -> HubEmulator:
        for role in ("hub", "cdn"):
            server = _Server(self, role)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                      name=f"hub-emulator-{role}", daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._servers[0].server_address[1]}"

    @property
    def cdn_url(self) -> str:
        return f"http://127.0.0.1:{self._servers[1].server_address[1]}"

    # ---- content -------------------------------------------------------------------------
    def add_repo(self, repo_id: str, files: dict[str, bytes | Path | str], *, readme: str | None = None,
                 license: str | None = None, gguf: dict[str, Any] | None = None, **meta: Any) -> EmuRepo:
        """Add (or replace) a repository. ``files`` maps repo paths to bytes or a local file.

        ``license`` and ``readme`` fill the card; other keywords set EmuRepo fields
        (gated, downloads, likes, tags, card_data, trending_score, last_modified...).
        """
        emu_files = {path: EmuFile(path, src.encode() if isinstance(src, str) else src)
                     for path, src in files.items()}
        if readme is not None:
            emu_files["README.md"] = EmuFile("README.md", readme.encode("utf-8"), lfs=False)
        card = dict(meta.pop("card_data", {}))
        if license is not None:
            card.setdefault("license", license)
        repo = EmuRepo(repo_id, emu_files, card_data=card, **meta)
        repo.last_modified = repo.last_modified or default_last_modified(len(self.repos))
        repo.gguf = gguf if gguf is not None else gguf_summary(emu_files)
        with self.lock:
            self.repos[repo_id] = repo
        return repo

    def add_token(self, token: str, user: str = "tester", grant: list[str] | None = None) -> None:
        """A valid token; ``grant`` lists gated repositories whose terms this user accepted."""
        self.tokens[token] = user
        for repo_id in grant or []:
            self.repos[repo_id].granted_tokens.add(token)

    # ---- faults and log ------------------------------------------------------------------
    def cut(self, match: str, after_bytes: int, *, times: int | None = 1) -> Fault:
        return self._fault(Fault("cut", match, "cdn", times, after_bytes=after_bytes))

    def fail(self, match: str, status: int = 500, *, times: int | None = 1, host: str | None = None) -> Fault:
        return self._fault(Fault("status", match, host, times, status=status))

    def slow(self, match: str, bytes_per_s: int, *, times: int | None = None) -> Fault:
        return self._fault(Fault("slow", match, "cdn", times, bytes_per_s=bytes_per_s))

    def _fault(self, fault: Fault) -> Fault:
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def take_fault(self, host: str, path: str, kinds: tuple[str, ...]) -> Fault | None:
        """The first live fault for this request (counting it as used)."""
        with self.lock:
            for fault in self.faults:
                if fault.kind in kinds and fault.match in path and fault.host in (None, host):
                    if fault.times is not None and fault.hits >= fault.times:
                        continue
                    fault.hits += 1
                    return fault
        return None

    def record(self, entry: LoggedRequest) -> None:
        with self.lock:
            self.log.append(entry)

    def requests(self, contains: str = "", *, host: str | None = None, method: str | None = None) -> list[LoggedRequest]:
        with self.lock:
            return [r for r in self.log if contains in r.path and host in (None, r.host)
                    and method in (None, r.method)]

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()

    def file_by_blob(self, sha256: str) -> EmuFile | None:
        with self.lock:
            for repo in self.repos.values():
                for f in repo.files.values():
                    if f.sha256 == sha256:
                        return f
        return None
