"""Fit verdicts for a repository's quant groups on this machine, and the one Hearth recommends.

A thin bridge from :class:`RepoDetail` to :mod:`hearth.core.fit` / :mod:`hearth.core.recommend`
(owned by the hardware module): the Hub tells the context length, each group its
quant and size. Returns None when the hardware modules are not available, so the
Hub pages still work without them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from hearth.core.hub_models import RepoDetail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GroupFits:
    verdicts: dict[str, Any]  # group label -> hearth.core.fit.FitVerdict
    recommended: str | None  # the label Hearth would pick, None when nothing fits
    reason: str = ""


def assess_groups(detail: RepoDetail, profile: Any = None) -> GroupFits | None:
    """Judge every complete quant group of ``detail`` (profile: a HardwareProfile, default: probed)."""
    try:
        from hearth.core import hardware
        from hearth.core.fit import assess
        from hearth.core.fit_inputs import ModelShape
        from hearth.core.recommend import recommend
    except ImportError:  # the hardware side is optional for browsing
        return None
    try:
        profile = profile or hardware.probe()
        shape = ModelShape(context_length=detail.summary.context_length)
        verdicts = {g.label: assess(g, profile, shape=shape) for g in detail.quant_groups}
        choice = recommend(detail.quant_groups, profile, shape=shape)
    except Exception:  # a fit estimate must never break a repository page
        log.exception("could not judge the fit of %s", detail.id)
        return None
    return GroupFits(verdicts, choice.label if choice else None, choice.reason if choice else "")
