"""Hub commands: search, show, pull, and token set|test|remove.

Hub modules are imported inside the handlers, after ``--offline`` has set
``HEARTH_OFFLINE``: huggingface_hub reads its offline switch once, on import.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from hearth.cli.output import ProgressBar, print_badges, print_json, print_table
from hearth.core.errors import HearthError
from hearth.core.licenses import license_class
from hearth.core.risk import badges_for
from hearth.core.services import Services
from hearth.core.units import human_bytes, human_context, human_count


def register(commands: Any) -> None:
    search = commands.add_parser("search", help="search the Hugging Face Hub for GGUF models")
    search.add_argument("query", metavar="QUERY", nargs="?", default="")
    search.add_argument("--sort", choices=["downloads", "likes", "trending", "updated"], default="downloads")
    search.add_argument("--author", metavar="A", help="only models published by A")
    search.add_argument("--limit", metavar="N", type=int, default=20, help="how many results (default 20)")
    search.add_argument("--json", action="store_true", help="print a JSON list")
    search.set_defaults(handler=cmd_search)

    show = commands.add_parser("show", help="show a Hub model's files, quants and license")
    show.add_argument("repo", metavar="REPO", help="publisher/name on the Hub")
    show.add_argument("--revision", metavar="REV", help="a branch, tag or commit (default: main)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(handler=cmd_show)

    pull = commands.add_parser("pull", help="download a model from the Hub (run again to continue)")
    pull.add_argument("repo", metavar="REPO", help="publisher/name on the Hub")
    pull.add_argument("file", metavar="FILE", nargs="?", help="the .gguf file (any part of a split model)")
    pull.add_argument("--quant", metavar="Q", help="the quant to download, e.g. Q4_K_M")
    pull.add_argument("--revision", metavar="REV", help="a branch, tag or commit (default: main)")
    pull.set_defaults(handler=cmd_pull)

    token = commands.add_parser("token", help="manage the Hugging Face token (kept in the system keyring)")
    actions = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    actions.add_parser("set", help="store a token (read from standard input, never the command line)")
    actions.add_parser("test", help="ask the Hub whom the stored token belongs to")
    actions.add_parser("remove", help="forget the stored token")
    token.set_defaults(handler=cmd_token)


def _client(services: Services) -> Any:
    from hearth.core.hub import HubClient

    return HubClient.from_services(services)


def _cached_note(fetched_at: str | None, offline: bool) -> None:
    why = "Hearth is offline" if offline else "the Hub could not be reached"
    print(f"hearth: note: {why}; showing saved results from {fetched_at or 'earlier'}", file=sys.stderr)


def cmd_search(services: Services, args: argparse.Namespace) -> int:
    client = _client(services)
    limit = max(1, args.limit)
    session = client.search(args.query, author=args.author, sort=args.sort, page_size=min(limit, 100))
    cached = None
    while session.has_more and len(session.items) < limit:
        page = session.next_page()
        if page.from_cache and cached is None:
            cached = page.fetched_at
    items = session.items[:limit]
    if cached is not None:
        _cached_note(cached, client.offline)
    if args.json:
        print_json([item.to_json() | {"license_class": license_class(item.license, item.license_name)}
                    for item in items])
        return 0
    if not items:
        print("No GGUF models found.")
        return 0
    rows = [("MODEL", "PARAMS", "DOWNLOADS", "LIKES", "UPDATED", "LICENSE", "CLASS", "")]
    for s in items:
        rows.append((s.id, human_count(s.parameters), f"{s.downloads or 0:,}", f"{s.likes or 0:,}",
                     (s.last_modified or "")[:10], s.license_name or s.license or "—",
                     license_class(s.license, s.license_name), "gated" if s.gated else ""))
    print_table(rows)
    return 0


def cmd_show(services: Services, args: argparse.Namespace) -> int:
    from hearth.core.hub_fit import assess_groups

    client = _client(services)
    detail = client.repo_detail(args.repo, args.revision)
    if detail.from_cache and client.offline:
        _cached_note(detail.fetched_at, True)
    fits = assess_groups(detail)
    badges = [b.to_json() for b in badges_for(repo=detail, chat_template=detail.chat_template)]
    if args.json:
        data = detail.to_json()
        data["license_class"] = license_class(detail.summary.license, detail.summary.license_name)
        data["badges"] = badges
        data.pop("readme", None)
        data["readme_length"] = len(detail.readme or "")
        data["has_gguf"] = bool(detail.quant_groups)
        for group in data["quant_groups"]:
            verdict = fits.verdicts.get(group["label"]) if fits else None
            group["fit"] = verdict.level.value if verdict is not None else None
            group["fit_summary"] = verdict.summary if verdict is not None else None
            group["recommended"] = bool(fits and fits.recommended == group["label"])
        print_json(data)
        return 0
    s = detail.summary
    license_text = s.license_name or s.license or "not stated"
    print(f"{s.id}  (commit {(detail.sha or '?')[:10]})")
    print(f"  {human_count(s.parameters)} parameters · {s.architecture or '?'} · context "
          f"{human_context(s.context_length)} · license {license_text}"
          + (f" ({s.license_link})" if s.license_link else ""))
    print(f"  {s.downloads or 0:,} downloads · {s.likes or 0:,} likes · updated {(s.last_modified or '?')[:10]}")
    if s.gated:
        print(f"  Gated: accept the terms at {client.repo_url(s.id)} and store a token ('hearth token set')")
    if not detail.quant_groups:
        raise HearthError(f"{s.id} has no GGUF model files; Hearth runs GGUF models only")
    rows = [("QUANT", "BITS", "SIZE", "FILES", "FIT", "")]
    for g in detail.quant_groups:
        verdict = fits.verdicts.get(g.label) if fits else None
        files = g.files[0].path if len(g.files) == 1 else f"{len(g.files)} parts ({g.files[0].path})"
        mark = "recommended" if fits and fits.recommended == g.label else ""
        if g.missing_parts:
            mark = "incomplete on the Hub"
        rows.append((g.label, f"{g.bits_per_weight:.2f}" if g.bits_per_weight else "?", human_bytes(g.total_size),
                     files, verdict.level.value.replace("_", " ") if verdict is not None else "—", mark))
    print()
    print_table(rows)
    for p in detail.projectors:
        print(f"  vision projector: {p.path} ({human_bytes(p.size)})")
    print()
    print_badges(badges)
    return 0


def _pick_group(detail: Any, args: argparse.Namespace) -> Any:
    labels = ", ".join(g.label for g in detail.quant_groups)
    if args.file:
        wanted = args.file.strip("/")
        for group in detail.quant_groups:
            if any(f.path == wanted or f.name == wanted for f in group.files):
                return group
        raise HearthError(f"{detail.id} has no model file '{args.file}' (quants: {labels})")
    if args.quant:
        try:
            return detail.group(args.quant)
        except KeyError:
            same = [g.label for g in detail.quant_groups if g.quant and g.quant.name == args.quant.upper()]
            if len(same) > 1:
                raise HearthError(f"{args.quant} matches {len(same)} models in {detail.id}; choose one with "
                                  f"--quant ({', '.join(same)})") from None
            raise HearthError(f"{detail.id} has no quant '{args.quant}' (choose one of: {labels})") from None
    if len(detail.quant_groups) == 1:
        return detail.quant_groups[0]
    from hearth.core.hub_fit import assess_groups

    fits = assess_groups(detail)
    if fits and fits.recommended:
        print(f"Choosing {fits.reason}", file=sys.stderr)
        return detail.group(fits.recommended)
    raise HearthError(f"{detail.id} has several quants; choose one with --quant ({labels})")


def cmd_pull(services: Services, args: argparse.Namespace) -> int:
    from hearth.core.downloads import DownloadManager, JobState

    from hearth.core.hub import ensure_online

    ensure_online(services.settings)
    client = _client(services)
    detail = client.require_gguf(client.repo_detail(args.repo, args.revision, fresh=True, with_readme=False))
    if detail.from_cache:
        raise HearthError("Could not reach the Hub to download; check the connection and try again")
    group = _pick_group(detail, args)
    manager = DownloadManager.from_services(services)
    if (done := manager.installed_paths(detail, group)) is not None:
        print(f"Already downloaded: {done[0]}")
        return 0
    bar = ProgressBar(f"{group.label} ")
    unsubscribe = manager.subscribe(lambda e: bar(e.job.done_bytes, e.job.total_bytes) if e.kind == "progress" else None)
    try:
        job = manager.add(detail, group)
        if job.done_bytes:
            print(f"Continuing {group.label} from {human_bytes(job.done_bytes)}", file=sys.stderr)
        while (job := manager.wait(job.id, timeout=0.5)).state in (JobState.QUEUED, JobState.RUNNING,
                                                                   JobState.VERIFYING):
            pass
    except KeyboardInterrupt:
        manager.shutdown()
        bar.close()
        print("hearth: paused; run the same command again to continue", file=sys.stderr)
        return 130
    finally:
        unsubscribe()
        bar.close()
    if job.state != JobState.DONE:
        raise HearthError(job.message or f"The download ended {job.state.value}")
    services.library.scan()
    entry = services.library.get(job.installed[0])
    print(f"Downloaded {detail.id} {group.label} ({human_bytes(job.total_bytes)}, sha256 verified) "
          f"as {entry.id} -> {job.installed[0]}")
    return 0


def cmd_token(services: Services, args: argparse.Namespace) -> int:
    from hearth.core import privacy, secrets

    if args.token_command == "set":
        if sys.stdin.isatty():
            value = getpass.getpass("Hugging Face token (input hidden): ")
        else:
            value = sys.stdin.readline()
        if secrets.set_token(value):
            print(f"Token stored in the {secrets.backend_description()}.")
        else:
            print("hearth: warning: no system keyring is available, so the token was not saved; "
                  "it lasts only while this command runs.", file=sys.stderr)
        return 0
    if args.token_command == "remove":
        print("Token removed." if secrets.delete_token() else "No token was stored.")
        return 0
    check = secrets.test_token(offline=privacy.is_offline(services.settings.settings))
    if not check.valid:
        raise HearthError(check.message)
    print(check.message)
    return 0
