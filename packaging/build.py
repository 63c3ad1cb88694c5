"""Builds Hearth's installers for the OS this runs on: ``python packaging/build.py``.

Linux   -> dist/hearth_<version>_<arch>.deb (installs to /opt/hearth, a .desktop entry,
           icons, ``hearth`` on PATH) and dist/hearth-<version>-linux-<arch>.tar.gz
           (portable), plus an AppImage when ``appimagetool`` is on PATH.
Windows -> dist/Hearth-<version>-setup.exe through Inno Setup (``iscc`` on PATH).
macOS   -> dist/Hearth-<version>.dmg holding Hearth.app, made with hdiutil.

Every build first renders the icons, then runs PyInstaller on packaging/hearth.spec.
``--variant cuda|metal|vulkan`` only names the artifacts: the GPU support itself comes
from how llama-cpp-python was compiled (CMAKE_ARGS), see packaging/README.md.
``--skip-pyinstaller`` reuses an existing build/dist/Hearth folder.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
sys.path.insert(0, str(ROOT / "packaging"))

from icons import render_icons  # noqa: E402


def version() -> str:
    text = (ROOT / "desktop" / "hearth" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("cannot find __version__ in desktop/hearth/__init__.py")
    return match.group(1)


def arch_name() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)


def run_pyinstaller() -> Path:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(ROOT / "packaging" / "hearth.spec"), "--noconfirm",
         "--distpath", str(BUILD / "dist"), "--workpath", str(BUILD / "work")],
        check=True, cwd=ROOT,
    )
    return BUILD / "dist" / "Hearth"


def build_linux(app: Path, icons: dict[str, Path], ver: str, variant: str) -> list[Path]:
    from linux import build_appimage, build_deb

    suffix = f"-{variant}" if variant != "cpu" else ""
    DIST.mkdir(exist_ok=True)
    outputs = [build_deb(app, icons, ver, arch_name(), DIST, suffix)]
    tarball = DIST / f"hearth-{ver}{suffix}-linux-{arch_name()}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:
        tar.add(app, arcname=f"hearth-{ver}")
    outputs.append(tarball)
    appimage = build_appimage(app, icons, ver, arch_name(), DIST, suffix)
    if appimage:
        outputs.append(appimage)
    return outputs


def build_windows(ver: str, variant: str) -> list[Path]:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if not iscc:
        raise SystemExit("Inno Setup's iscc is not on PATH; install Inno Setup 6 first")
    suffix = f"-{variant}" if variant != "cpu" else ""
    subprocess.run(
        [iscc, f"/DAppVersion={ver}", f"/DVariant={suffix}", f"/DRoot={ROOT}",
         str(ROOT / "packaging" / "windows" / "hearth.iss")],
        check=True,
    )
    return [DIST / f"Hearth-{ver}{suffix}-setup.exe"]


def build_macos(ver: str, variant: str) -> list[Path]:
    app = BUILD / "dist" / "Hearth.app"
    suffix = f"-{variant}" if variant != "cpu" else ""
    DIST.mkdir(exist_ok=True)
    staging = BUILD / "dmg"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copytree(app, staging / "Hearth.app", symlinks=True)
    (staging / "Applications").symlink_to("/Applications")
    dmg = DIST / f"Hearth-{ver}{suffix}.dmg"
    dmg.unlink(missing_ok=True)
    subprocess.run(
        ["hdiutil", "create", "-volname", "Hearth", "-srcfolder", str(staging), "-ov",
         "-format", "UDZO", str(dmg)],
        check=True,
    )
    return [dmg]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", default="cpu", choices=["cpu", "cuda", "metal", "vulkan"])
    parser.add_argument("--skip-pyinstaller", action="store_true")
    args = parser.parse_args()
    ver = version()
    icons = render_icons(BUILD / "icons")
    app = BUILD / "dist" / "Hearth" if args.skip_pyinstaller else run_pyinstaller()
    if sys.platform.startswith("linux"):
        outputs = build_linux(app, icons, ver, args.variant)
    elif sys.platform == "win32":
        outputs = build_windows(ver, args.variant)
    elif sys.platform == "darwin":
        outputs = build_macos(ver, args.variant)
    else:
        raise SystemExit(f"no installer recipe for {sys.platform}")
    for path in outputs:
        size = path.stat().st_size / 1e6 if path.is_file() else 0
        print(f"built {path.relative_to(ROOT)} ({size:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
