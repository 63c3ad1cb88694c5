"""Human-readable numbers shared by the GUI and the command line."""

from __future__ import annotations

from datetime import datetime, timezone


def human_bytes(n: int | None) -> str:
    """``1_234_567_890`` -> ``"1.23 GB"`` (decimal units, as disks and the Hub use)."""
    if n is None:
        return "—"
    value = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(value) < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.2f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def human_count(n: int | None) -> str:
    """Parameter counts the way model names say them: 268_098_176 -> ``"268M"``."""
    if not n:
        return "—"
    if n < 1000:
        return str(n)
    units = ((1e3, "K"), (1e6, "M"), (1e9, "B"), (1e12, "T"))
    for index, (divisor, suffix) in enumerate(units):
        value = n / divisor
        text = f"{value:.1f}" if round(value, 1) < 10 else f"{value:.0f}"
        # 999_885_952 would round to "1000M"; say "1.0B" like the model card does.
        if float(text) < 1000 or index == len(units) - 1:
            return text + suffix
    raise AssertionError("unreachable")


def human_context(n: int | None) -> str:
    """``131072`` -> ``"128K"``; context sizes are powers of two by habit."""
    if not n:
        return "—"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024}K"
    return f"{n:,}"


def human_ago(iso: str | None, now: datetime | None = None) -> str:
    """``"2025-06-01T00:00:00Z"`` -> ``"3 days ago"`` (``"—"`` when missing or unreadable)."""
    if not iso:
        return "—"
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return "—"
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    seconds = ((now or datetime.now(timezone.utc)) - when).total_seconds()
    if seconds < 60:
        return "just now"
    for size, unit in ((365 * 86400, "year"), (30 * 86400, "month"), (7 * 86400, "week"), (86400, "day"),
                       (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    raise AssertionError("unreachable")


def human_duration(seconds: float | None) -> str:
    """Time left, as a download shows it: ``"40 s"``, ``"3 min"``, ``"1 h 05 min"`` (``"—"`` if unknown)."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "—"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
