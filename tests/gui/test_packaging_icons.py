"""The build renders the app icon from SVG into every size plus .ico and .icns, with Qt."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_icons_render_in_every_size_and_format(qapp: object, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from icons import PNG_SIZES, render_icons
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    written = render_icons(tmp_path)
    for size in PNG_SIZES:
        image = QImage(str(written[f"hearth-{size}.png"]))
        assert (image.width(), image.height()) == (size, size)
        # The tile is opaque in the middle and transparent in the corner.
        assert image.pixelColor(size // 2, size // 2).alpha() == 255
        assert image.pixelColor(0, 0).alpha() == 0
    assert written["hearth.ico"].read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert written["hearth.icns"].read_bytes()[:4] == b"icns"
