"""The HTTP side of the Hub emulator: routes, answers in the Hub's shapes, Range and faults."""

from __future__ import annotations

import base64
import json
import socket
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from tests.helpers.hub_repos import EmuFile, EmuRepo

if TYPE_CHECKING:
    from tests.helpers.hub_emulator import HubEmulator

_SORT_FIELDS = {"downloads": "downloads", "likes": "likes", "trendingScore": "trending_score",
                "lastModified": "last_modified", "createdAt": "created_at"}
_LIST_DEFAULT = ["likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name", "createdAt"]


class HubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the emulator keeps its own log
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError, TimeoutError):
            pass  # the client went away (a paused or cut download): nothing to answer

    @property
    def emu(self) -> HubEmulator:
        return self.server.emulator

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    # ---- routing ------------------------------------------------------------------------
    def _dispatch(self, head: bool) -> None:
        from tests.helpers.hub_emulator import LoggedRequest

        role = self.server.role
        split = urlsplit(self.path)
        self.emu.record(LoggedRequest(role, self.command, unquote(split.path), split.query,
                                      {k.lower(): v for k, v in self.headers.items()}))
        query = parse_qs(split.query)
        fault = self.emu.take_fault(role, unquote(split.path), ("status",))
        if fault is not None:
            return self._error(fault.status, "Injected", "injected failure")
        parts = [unquote(p) for p in split.path.strip("/").split("/")]
        if role == "cdn":
            return self._cdn(parts, head)
        if parts[:2] == ["api", "models"] and len(parts) == 2:
            return self._list_models(query)
        if parts[:2] == ["api", "whoami-v2"]:
            return self._whoami()
        if parts[:2] == ["api", "models"] and len(parts) >= 4:
            return self._model_api(parts[2:], query)
        if len(parts) >= 5 and parts[2] == "resolve":
            return self._resolve(f"{parts[0]}/{parts[1]}", parts[3], "/".join(parts[4:]), head)
        return self._error(404, "NotFound", "no such route")

    # ---- API ----------------------------------------------------------------------------
    def _list_models(self, query: dict[str, list[str]]) -> None:
        with self.emu.lock:
            repos = list(self.emu.repos.values())
        search = query.get("search", [""])[0].lower()
        author = query.get("author", [None])[0]
        filters = query.get("filter", [])
        hits = [r for r in repos if search in r.repo_id.lower() and (author is None or r.author == author)
                and all(f in r.all_tags() for f in filters)]
        sort = query.get("sort", [None])[0]
        if sort is not None:
            if sort not in _SORT_FIELDS:
                return self._error(400, "BadRequest", f"invalid sort {sort}")
            hits.sort(key=lambda r: getattr(r, _SORT_FIELDS[sort]), reverse=True)
        limit = min(int(query.get("limit", ["1000"])[0]), 1000)
        offset = 0
        if cursor := query.get("cursor", [None])[0]:
            offset = json.loads(base64.urlsafe_b64decode(cursor.encode()))["offset"]
        page = hits[offset: offset + limit]
        expand = query.get("expand", [])
        items = [self._list_item(r, expand) for r in page]
        headers = {}
        if offset + limit < len(hits):
            next_cursor = base64.urlsafe_b64encode(json.dumps({"offset": offset + limit}).encode()).decode()
            rest = [(k, v) for k, values in query.items() if k != "cursor" for v in values]
            link = f"{self.emu.url}/api/models?{urlencode(rest + [('cursor', next_cursor)])}"
            headers["Link"] = f'<{link}>; rel="next"'
        self._json(items, headers=headers)

    @staticmethod
    def _list_item(repo: EmuRepo, expand: list[str]) -> dict[str, Any]:
        full = repo.full_info(blobs=False)
        keys = expand or _LIST_DEFAULT
        item = {"_id": full["_id"], "id": repo.repo_id}
        item.update({k: full[k] for k in keys if k in full})
        if not expand:
            item["modelId"] = repo.repo_id
        return item

    def _model_api(self, rest: list[str], query: dict[str, list[str]]) -> None:
        repo = self._repo(f"{rest[0]}/{rest[1]}")
        if repo is None:
            return
        tail = rest[2:]
        if tail and tail[0] in ("revision", "tree"):
            if len(tail) < 2 or not self._revision_ok(repo, tail[1]):
                return
            if tail[0] == "tree":
                return self._tree(repo, "/".join(tail[2:]))
        elif tail:
            return self._error(404, "NotFound", "no such route")
        self._json(repo.full_info(blobs=query.get("blobs", ["false"])[0].lower() == "true"))

    def _tree(self, repo: EmuRepo, prefix: str) -> None:
        entries = []
        for f in repo.files.values():
            if prefix and not f.path.startswith(prefix.rstrip("/") + "/"):
                continue
            entry: dict[str, Any] = {"type": "file", "oid": f.blob_id, "size": f.size, "path": f.path}
            if f.lfs:
                entry["lfs"] = {"oid": f.sha256, "size": f.size, "pointerSize": 134}
            entries.append(entry)
        self._json(entries)

    def _whoami(self) -> None:
        user = self.emu.tokens.get(self._token() or "")
        if user is None:
            return self._error(401, None, "Invalid credentials in Authorization header")
        self._json({"type": "user", "id": f"id-{user}", "name": user, "fullname": user.title(),
                    "auth": {"type": "access_token", "accessToken": {"displayName": "test", "role": "read"}}})

    # ---- files --------------------------------------------------------------------------
    def _resolve(self, repo_id: str, revision: str, path: str, head: bool) -> None:
        repo = self._repo(repo_id)
        if repo is None or not self._revision_ok(repo, revision):
            return
        if repo.gated and self._token() not in repo.granted_tokens:
            return self._error(401, "GatedRepo", f"Access to model {repo_id} is restricted. You must have "
                               "access to it and be authenticated to access it. Please log in.")
        emu_file = repo.files.get(path)
        if emu_file is None:
            return self._error(404, "EntryNotFound", f"{path} does not exist", {"X-Repo-Commit": repo.sha})
        common = {"X-Repo-Commit": repo.sha}
        if emu_file.lfs:
            location = f"{self.emu.cdn_url}/blobs/{emu_file.sha256}?name={quote(path)}&expires=9999999999"
            headers = {**common, "Location": location, "X-Linked-Etag": f'"{emu_file.sha256}"',
                       "X-Linked-Size": str(emu_file.size), "ETag": f'"{emu_file.blob_id}"'}
            return self._send(302, b"", headers)
        self._serve_file(emu_file, head, {**common, "ETag": f'"{emu_file.blob_id}"'}, "hub")

    def _cdn(self, parts: list[str], head: bool) -> None:
        emu_file = self.emu.file_by_blob(parts[1]) if len(parts) == 2 and parts[0] == "blobs" else None
        if emu_file is None:
            return self._error(404, None, "no such blob")
        self._serve_file(emu_file, head, {"ETag": f'"{emu_file.sha256}"'}, "cdn")

    def _serve_file(self, emu_file: EmuFile, head: bool, headers: dict[str, str], role: str) -> None:
        start, end, status = 0, emu_file.size, 200
        if spec := self.headers.get("Range"):
            try:
                start, end = _parse_range(spec, emu_file.size)
            except ValueError:
                return self._send(416, b"", {"Content-Range": f"bytes */{emu_file.size}"})
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{emu_file.size}"
        headers.update({"Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"})
        self._head_only(status, end - start, headers)
        if head:
            return
        path = urlsplit(self.path).path
        cut = self.emu.take_fault(role, unquote(path), ("cut",))
        slow = self.emu.take_fault(role, unquote(path), ("slow",))
        limit = end if cut is None else min(end, start + cut.after_bytes)
        try:
            self._body(emu_file, start, limit, slow.bytes_per_s if slow else 0)
        except (BrokenPipeError, ConnectionResetError):
            return
        if cut is not None and limit < end:
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)

    def _body(self, emu_file: EmuFile, start: int, end: int, rate: int) -> None:
        if rate:
            step = max(1, rate // 20)
            for pos in range(start, end, step):
                self.wfile.write(emu_file.read(pos, min(end, pos + step)))
                self.wfile.flush()
                time.sleep(0.05)
        elif isinstance(emu_file.source, Path):
            self.wfile.flush()
            with emu_file.source.open("rb") as handle:
                self.connection.sendfile(handle, start, end - start)
        else:
            self.wfile.write(emu_file.source[start:end])

    # ---- helpers ------------------------------------------------------------------------
    def _token(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else None

    def _repo(self, repo_id: str) -> EmuRepo | None:
        with self.emu.lock:
            repo = self.emu.repos.get(repo_id)
        if repo is None:
            self._error(404, "RepoNotFound", "Repository not found")
        return repo

    def _revision_ok(self, repo: EmuRepo, revision: str) -> bool:
        if revision in ("main", repo.sha):
            return True
        self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
        return False

    def _json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self._send(status, body, {"Content-Type": "application/json", **(headers or {})})

    def _error(self, status: int, code: str | None, message: str, headers: dict[str, str] | None = None) -> None:
        extra = dict(headers or {})
        if code:
            extra["X-Error-Code"] = code
        extra["X-Error-Message"] = message
        self._json({"error": message}, status, extra)

    def _head_only(self, status: int, length: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self._head_only(status, len(body), headers)
        if self.command != "HEAD" and body:
            self.wfile.write(body)


def _parse_range(spec: str, size: int) -> tuple[int, int]:
    """``bytes=a-b`` / ``bytes=a-`` / ``bytes=-n`` -> [start, end) or ValueError."""
    unit, _, value = spec.partition("=")
    first, _, last = value.split(",")[0].strip().partition("-")
    if unit.strip() != "bytes":
        raise ValueError(spec)
    if not first:
        start, end = max(0, size - int(last)), size
    else:
        start = int(first)
        end = min(size, int(last) + 1) if last else size
    if start >= size or start >= end:
        raise ValueError(spec)
    return start, end
