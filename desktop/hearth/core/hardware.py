"""What this computer can run: RAM, CPU cores and features, GPUs and their memory.

:func:`probe` returns a :class:`HardwareProfile`, cached after the first call. It
never touches the network and never imports llama_cpp: the GUI process must stay
small and must not crash on a broken native build. It costs a few milliseconds
(psutil, ``/proc/cpuinfo``, a directory listing) plus, only where they exist,
NVML or a short ``nvidia-smi``/``sysctl`` call.

Whether llama.cpp can offload to a GPU is read from the installed build's files:
llama-cpp-python ships each ggml backend as its own library
(``libggml-cpu.so``, ``libggml-cuda.so``, ``ggml-metal.dylib``, ``ggml-vulkan.dll``...),
so a listing of ``llama_cpp/lib`` answers without loading anything. Older builds
linked everything into one ``libllama``; there the answer is "unknown" unless the
caller runs :func:`probe_gpu_offload_subprocess` (a separate Python process that
imports llama_cpp and asks it) from a worker thread.

Apple silicon has no separate VRAM: the GPU uses the unified RAM, and macOS lets
Metal wire only part of it (its ``recommendedMaxWorkingSetSize``). We model that
share as 2/3 of RAM up to 36 GB and 3/4 above, which matches what macOS reports
on M-series machines closely enough for a fit estimate.

Tests build :class:`HardwareProfile` directly to describe imaginary machines.
"""

from __future__ import annotations

import logging
import platform
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from hearth.core import hardware_probe as _probe

log = logging.getLogger(__name__)

GIB = 1 << 30
#: Backend library names (lower case, without "lib" or extension) that mean GPU offload works.
GPU_BACKENDS = ("cuda", "metal", "vulkan", "hip", "rocm", "sycl", "opencl", "musa", "cann", "kompute")


@dataclass(frozen=True)
class GPUInfo:
    """One GPU. ``free_bytes`` is None when the driver does not say; ``unified`` GPUs share system RAM."""

    name: str
    vendor: str  # "nvidia", "amd", "apple", "intel" or "unknown"
    total_bytes: int
    free_bytes: int | None = None
    unified: bool = False

    @property
    def usable_bytes(self) -> int:
        return self.free_bytes if self.free_bytes is not None else self.total_bytes


@dataclass(frozen=True)
class HardwareProfile:
    """A machine as far as running a GGUF model is concerned. Sizes in bytes.

    ``gpu_offload``: whether the installed llama.cpp build can use a GPU (True/False),
    or None when that could not be told. ``cpu_features`` holds lower-case names from
    ``{"avx", "avx2", "avx512", "fma", "f16c", "neon"}``.
    """

    total_ram: int
    available_ram: int
    physical_cores: int = 1
    logical_cores: int = 1
    cpu_features: frozenset[str] = frozenset()
    gpus: tuple[GPUInfo, ...] = ()
    gpu_offload: bool | None = None
    gpu_backends: tuple[str, ...] = ()
    system: str = field(default_factory=platform.system)
    machine: str = field(default_factory=platform.machine)

    @property
    def unified_memory(self) -> bool:
        return any(g.unified for g in self.gpus)

    @property
    def gpu_usable(self) -> bool:
        """A GPU exists and llama.cpp was not found to be a CPU-only build."""
        return bool(self.gpus) and self.gpu_offload is not False

    @property
    def vram_bytes(self) -> int:
        """GPU memory llama.cpp may use now (free memory where known), summed over GPUs."""
        return sum(g.usable_bytes for g in self.gpus) if self.gpu_usable else 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["cpu_features"] = sorted(self.cpu_features)
        data["gpus"] = [asdict(g) for g in self.gpus]
        data["gpu_backends"] = list(self.gpu_backends)
        return data


def unified_gpu_share(total_ram: int) -> int:
    """The part of unified memory Metal will use (see the module docstring)."""
    return total_ram * 2 // 3 if total_ram <= 36 * GIB else total_ram * 3 // 4


# ---- llama.cpp build ---------------------------------------------------------------------
def llama_lib_folders() -> list[Path]:
    """Folders of the installed llama_cpp package that hold its native libraries (not imported)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("llama_cpp")  # locates the package without running it
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.submodule_search_locations:
        return []
    roots = [Path(p) for p in spec.submodule_search_locations]
    return [folder for root in roots for folder in (root / "lib", root) if folder.is_dir()]


def llama_gpu_backends(folders: list[Path] | None = None) -> tuple[str, ...] | None:
    """GPU backends present in the llama.cpp build: ``("cuda",)``, ``()`` for CPU only, None if unknown."""
    folders = llama_lib_folders() if folders is None else folders
    names: list[str] = []
    for folder in folders:
        try:
            names += [p.name.lower() for p in folder.iterdir() if p.is_file()]
        except OSError as exc:
            log.debug("cannot list %s: %s", folder, exc)
    libs = [n for n in names if n.endswith((".so", ".dylib", ".dll")) or ".so." in n]
    if not libs:
        return None
    found = sorted({b for b in GPU_BACKENDS for n in libs if f"ggml-{b}" in n})
    if found:
        return tuple(found)
    # Only a build split into per-backend libraries proves the absence of a GPU backend.
    return () if any("ggml-cpu" in n for n in libs) else None


_subprocess_answer: dict[str, bool | None] = {}
_subprocess_lock = threading.Lock()


def probe_gpu_offload_subprocess(python: str | None = None, timeout: float = 60.0) -> bool | None:
    """Ask llama.cpp itself, in a child Python process, whether it supports GPU offload.

    Slow (it loads the native library: about a second, longer on first run), so call it
    off the UI thread. Cached per interpreter; None when the child fails or times out,
    and in a frozen app unless ``python`` is given (there sys.executable is the app).
    """
    if python is None and getattr(sys, "frozen", False):
        return None
    python = python or sys.executable
    with _subprocess_lock:
        if python in _subprocess_answer:
            return _subprocess_answer[python]
        code = "import llama_cpp, sys; sys.stdout.write(str(bool(llama_cpp.llama_supports_gpu_offload())))"
        answer: bool | None = None
        try:
            done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=timeout,
                                  check=False)
            last = (done.stdout.strip().splitlines() or [""])[-1]
            if done.returncode == 0 and last in ("True", "False"):
                answer = last == "True"
            else:
                log.info("GPU offload probe failed (exit %s): %s", done.returncode, done.stderr[-300:])
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.info("GPU offload probe could not run: %s", exc)
        _subprocess_answer[python] = answer
        return answer


# ---- the whole machine -------------------------------------------------------------------
_cached: HardwareProfile | None = None
_cache_lock = threading.Lock()


def probe(refresh: bool = False) -> HardwareProfile:
    """This machine's profile, measured once and cached; ``refresh=True`` measures again."""
    global _cached
    with _cache_lock:
        if _cached is None or refresh:
            _cached = _measure()
        return _cached


def refine_gpu_offload(timeout: float = 60.0) -> HardwareProfile:
    """The cached profile, with an unknown ``gpu_offload`` settled by the subprocess probe.

    Only runs the child process when a GPU was found and the build's files were
    inconclusive; call it from a worker thread.
    """
    global _cached
    profile = probe()
    if profile.gpu_offload is not None or not profile.gpus:
        return profile
    answer = probe_gpu_offload_subprocess(timeout=timeout)
    if answer is None:
        return profile
    with _cache_lock:
        _cached = replace(profile, gpu_offload=answer)
        return _cached


def _measure() -> HardwareProfile:
    import psutil

    memory = psutil.virtual_memory()
    logical = psutil.cpu_count(logical=True) or 1
    physical = psutil.cpu_count(logical=False) or logical
    system, machine = platform.system(), platform.machine().lower()
    found = _probe.nvidia_gpus() or (_probe.amd_gpus_linux() if system == "Linux" else [])
    gpus = [GPUInfo(name, vendor, total, free) for name, vendor, total, free in found]
    if system == "Darwin" and machine in ("arm64", "aarch64"):
        share = unified_gpu_share(memory.total)
        gpus.append(GPUInfo("Apple silicon GPU", "apple", share, min(share, memory.available), unified=True))
    backends = llama_gpu_backends()
    offload = None if backends is None else bool(backends)
    profile = HardwareProfile(
        total_ram=int(memory.total), available_ram=int(memory.available),
        physical_cores=physical, logical_cores=logical,
        cpu_features=_probe.cpu_features(system, machine), gpus=tuple(gpus),
        gpu_offload=offload, gpu_backends=backends or (), system=system, machine=machine,
    )
    log.info("hardware: %d GiB RAM, %d/%d cores, GPUs %s, offload %s", profile.total_ram // GIB,
             physical, logical, [g.name for g in gpus] or "none", offload)
    return profile
