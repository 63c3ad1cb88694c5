"""Human-readable numbers shared by the GUI and the command line."""

from __future__ import annotations


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
    for divisor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= divisor:
            value = n / divisor
            return f"{value:.1f}{suffix}" if value < 10 else f"{value:.0f}{suffix}"
    return str(n)


def human_context(n: int | None) -> str:
    """``131072`` -> ``"128K"``; context sizes are powers of two by habit."""
    if not n:
        return "—"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024}K"
    return f"{n:,}"
