"""Relative times and durations, as Discover's "Updated" column and a download's time left show them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from hearth.core.units import human_ago, human_duration

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("iso", "text"), [
    (None, "—"), ("", "—"), ("not a date", "—"), ("2025-06-10T11:59:30Z", "just now"),
    ("2025-06-10T11:59:00Z", "1 minute ago"), ("2025-06-10T09:00:00.000Z", "3 hours ago"),
    ("2025-06-09T12:00:00+00:00", "1 day ago"), ("2025-06-07T00:00:00Z", "3 days ago"),
    ("2025-05-20T12:00:00Z", "3 weeks ago"), ("2025-01-01T00:00:00Z", "5 months ago"),
    ("2023-06-01T00:00:00", "2 years ago"),
])
def test_human_ago(iso: str | None, text: str) -> None:
    assert human_ago(iso, NOW) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), (-1, "—"), (float("nan"), "—"), (0, "0 s"), (40.4, "40 s"), (59.6, "1 min"),
    (185, "3 min"), (3600, "1 h 00 min"), (3 * 3600 + 5 * 60, "3 h 05 min"),
])
def test_human_duration(seconds: float | None, text: str) -> None:
    assert human_duration(seconds) == text
