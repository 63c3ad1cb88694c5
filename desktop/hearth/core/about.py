"""What this build of Hearth is made of: versions and the llama.cpp backend it can use.

Shown by ``hearth --version --verbose`` and Settings → About. Nothing here
imports Qt or llama.cpp: versions come from package metadata and the backend
from the llama.cpp libraries that are installed.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata

from hearth import __version__
from hearth.core.hardware import llama_gpu_backends


def _version(*distributions: str) -> str:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def backend_label(backends: tuple[str, ...] | None) -> str:
    """``("cuda",)`` -> "CUDA"; ``()`` -> "CPU only"; None -> "unknown"."""
    if backends is None:
        return "unknown"
    if not backends:
        return "CPU only"
    return ", ".join(b.upper() if len(b) <= 5 else b.capitalize() for b in backends) + " (GPU offload)"


def build_info() -> dict[str, str]:
    return {
        "hearth": __version__,
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "frozen": "yes" if getattr(sys, "frozen", False) else "no",
        "qt binding": f"PySide6 {_version('PySide6-Essentials', 'PySide6')}",
        "llama-cpp-python": _version("llama-cpp-python", "llama_cpp_python"),
        "llama.cpp backend": backend_label(llama_gpu_backends()),
        "huggingface_hub": _version("huggingface_hub", "huggingface-hub"),
    }
