"""Linux installers from the PyInstaller folder: a .deb (dpkg-deb) and an AppImage.

The .deb puts the app in /opt/hearth, links /usr/bin/hearth to it, and installs
the .desktop entry, AppStream metainfo and hicolor icons. Removing the package
removes all of that; user data in the home folder is left alone (see README).
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "resources" / "linux"
METAINFO = "io.github.hearth_desktop.Hearth.metainfo.xml"


def _install_shared(root: Path, icons: dict[str, Path], app_dir: str) -> None:
    """The desktop integration files both the .deb and the AppImage carry."""
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    desktop = (LINUX / "hearth.desktop").read_text(encoding="utf-8")
    (apps / "hearth.desktop").write_text(desktop.replace("Exec=hearth", f"Exec={app_dir}hearth"))
    meta = root / "usr" / "share" / "metainfo"
    meta.mkdir(parents=True)
    shutil.copy2(LINUX / METAINFO, meta / METAINFO)
    for name, path in icons.items():
        if name.startswith("hearth-") and name.endswith(".png"):
            size = name.removeprefix("hearth-").removesuffix(".png")
            target = root / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / "hearth.png")


def build_deb(app: Path, icons: dict[str, Path], version: str, arch: str, dist: Path, suffix: str = "") -> Path:
    staging = ROOT / "build" / "deb"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(app, staging / "opt" / "hearth", symlinks=True)
    _install_shared(staging, icons, app_dir="")
    bin_dir = staging / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "hearth").symlink_to("/opt/hearth/hearth")
    control = staging / "DEBIAN"
    control.mkdir()
    installed_kb = sum(f.stat().st_size for f in staging.rglob("*") if f.is_file()) // 1024
    (control / "control").write_text(
        f"Package: hearth{suffix}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        "Maintainer: The Hearth developers <hearth@users.noreply.github.com>\n"
        f"Installed-Size: {installed_kb}\n"
        "Depends: libc6, libegl1, libfontconfig1, libxkbcommon0, libdbus-1-3, libgl1\n"
        + (f"Conflicts: hearth\nProvides: hearth\n" if suffix else "")
        + "Section: utils\nPriority: optional\n"
        "Homepage: https://github.com/hearth-desktop/hearth\n"
        "Description: Run open AI models on your own computer, offline\n"
        " Hearth finds quantised GGUF models, shows what each file is and what its\n"
        " license allows, downloads it safely and runs it locally through llama.cpp.\n",
        encoding="utf-8",
    )
    for script, body in (("postinst", "update-desktop-database -q || true\n"),
                         ("postrm", "update-desktop-database -q || true\n")):
        path = control / script
        path.write_text(f"#!/bin/sh\nset -e\n{body}", encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    out = dist / f"hearth{suffix}_{version}_{arch}.deb"
    # gzip: a little bigger than xz but builds in seconds instead of minutes, and every dpkg reads it.
    subprocess.run(["dpkg-deb", "-Zgzip", "-z6", "--root-owner-group", "--build", str(staging), str(out)],
                   check=True)
    return out


def build_appimage(app: Path, icons: dict[str, Path], version: str, arch: str, dist: Path,
                   suffix: str = "") -> Path | None:
    """An AppImage when appimagetool is installed; None (and a note) otherwise."""
    tool = shutil.which("appimagetool")
    if not tool:
        print("appimagetool not found; skipping the AppImage")
        return None
    appdir = ROOT / "build" / "Hearth.AppDir"
    shutil.rmtree(appdir, ignore_errors=True)
    shutil.copytree(app, appdir / "opt" / "hearth", symlinks=True)
    _install_shared(appdir, icons, app_dir="")
    shutil.copy2(appdir / "usr" / "share" / "applications" / "hearth.desktop", appdir / "hearth.desktop")
    shutil.copy2(icons["hearth-256.png"], appdir / "hearth.png")
    apprun = appdir / "AppRun"
    apprun.write_text('#!/bin/sh\nHERE="$(dirname "$(readlink -f "$0")")"\nexec "$HERE/opt/hearth/hearth" "$@"\n')
    apprun.chmod(0o755)
    out = dist / f"Hearth-{version}{suffix}-{arch}.AppImage"
    subprocess.run([tool, str(appdir), str(out)], check=True, env={"ARCH": arch, "PATH": "/usr/bin:/bin"})
    return out
