"""The risk checks about the Hub repository: provenance, freshness and access.

Each returns one :class:`Badge`, or None when it has no facts to go on. The list
of established publishers and quantisers is ``publishers`` in
``hearth/resources/risk.json``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hearth.core.badges import Badge, Level, RepoFacts
from hearth.core.data_files import load_json
from hearth.core.model_entry import SOURCE_HUB, SOURCE_IMPORTED, ModelSource

STALE_DAYS = 548  # 18 months


def _publishers() -> set[str]:
    return {p.lower() for p in load_json("risk.json")["publishers"]}


def provenance_badge(repo: RepoFacts | None, source: ModelSource | None) -> Badge | None:
    """The uploader is the base model's publisher or an established quantiser -> ok."""
    repo_id = (repo.repo_id if repo else None) or (source.repo_id if source and source.kind == SOURCE_HUB else None)
    if not repo_id:
        if source is None:
            return None
        how = "was imported" if source.kind == SOURCE_IMPORTED else "was found on disk"
        return Badge("provenance", Level.UNKNOWN, "Unknown origin",
                     f"The file {how}, so Hearth cannot tell who published it.", "library")
    facts = repo or RepoFacts(repo_id=repo_id)
    uploader = facts.uploader or repo_id
    bases = [b for b in facts.base_models if b.lower() != repo_id.lower()]
    base_orgs = {b.split("/", 1)[0].lower() for b in bases if "/" in b}
    where = "hub" if repo else "download"
    if uploader.lower() in base_orgs:
        return Badge("provenance", Level.OK, "Original publisher",
                     f"Uploaded by {uploader}, who also publishes the base model {bases[0]}.", where)
    if uploader.lower() in _publishers():
        return Badge("provenance", Level.OK, "Established publisher",
                     f"Uploaded by {uploader}, an established publisher or quantiser on Hearth's list.", where)
    base = f"the base model is {', '.join(bases)}" if bases else "the base model is not stated"
    return Badge("provenance", Level.CAUTION, "Community upload",
                 f"Uploaded by {uploader}, who is neither the base model's publisher nor an established "
                 f"quantiser; {base}.", where)


def _as_datetime(value: datetime | str) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def freshness_badge(repo: RepoFacts | None, now: datetime | None = None) -> Badge | None:
    """Last modified more than 18 months ago -> caution."""
    if repo is None or not repo.last_modified:
        return None
    moment = _as_datetime(repo.last_modified)
    if moment is None:
        return Badge("freshness", Level.UNKNOWN, "Unknown age",
                     f"The Hub's last-modified date '{repo.last_modified}' could not be read.", "hub")
    now = now or datetime.now(UTC)
    days = (now - moment).days
    when = moment.date().isoformat()
    if days > STALE_DAYS:
        return Badge("freshness", Level.CAUTION, f"Not updated in {days // 30} months",
                     f"Last updated on {when}: it may predate fixes to its chat template or tokenizer.", "hub")
    return Badge("freshness", Level.OK, "Recently updated", f"Last updated on {when}.", "hub")


def access_badge(repo: RepoFacts | None) -> Badge | None:
    """Gated repositories need the terms accepted on the Hub (and a token that did so)."""
    if repo is None or repo.gated is None:
        return None
    if not repo.gated:
        return Badge("access", Level.OK, "Open download", "Anyone can download it; no terms to accept.", "hub")
    how = "the author approves each request" if repo.gated == "manual" else "you accept the terms on the Hub"
    if repo.has_access:
        return Badge("access", Level.OK, "Access granted", f"Gated ({how}); your Hub token has access.", "hub")
    if repo.has_access is False:
        return Badge("access", Level.CAUTION, "Access needed",
                     f"Gated: {how} before downloading; your Hub token does not have access yet.", "hub")
    return Badge("access", Level.CAUTION, "Gated",
                 f"Gated: {how}, then sign in with a Hub token to download.", "hub")
