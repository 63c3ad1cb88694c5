"""Renders the app icon from its SVG source into the sizes and formats each OS wants.

Qt does all of it (QSvgRenderer for rendering, its image plugins for .ico and
.icns), so the build needs nothing beyond the app's own dependencies.
"""

from __future__ import annotations

import os
from pathlib import Path

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SOURCE = Path(__file__).resolve().parent.parent / "resources" / "app" / "hearth.svg"


def render_icons(out_dir: Path, source: Path = SOURCE) -> dict[str, Path]:
    """Write hearth-<size>.png for every size, hearth.ico and hearth.icns; return them by name."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise RuntimeError(f"cannot render icon source {source}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    images: dict[int, QImage] = {}
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"hearth-{size}.png"
        if not image.save(str(path)):
            raise RuntimeError(f"could not write {path}")
        images[size] = image
        written[path.name] = path
    # Windows takes the 256 px image (Qt's ico writer stores one image per file);
    # macOS's icns writer picks the 512 px one.
    for name, size, fmt in (("hearth.ico", 256, "ico"), ("hearth.icns", 512, "icns")):
        path = out_dir / name
        if not images[size].save(str(path), fmt):
            raise RuntimeError(f"could not write {path}")
        written[name] = path
    return written


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/icons")
    for name in render_icons(target):
        print(name)
