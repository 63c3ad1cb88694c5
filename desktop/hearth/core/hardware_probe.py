"""Low-level detectors behind :func:`hearth.core.hardware.probe`: CPU features and GPUs.

Each detector is best effort: on any failure it logs at debug level and returns
nothing rather than raising, because a missing driver is normal, not an error.
GPUs come back as plain ``(name, vendor, total_bytes, free_bytes)`` tuples.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

GPUTuple = tuple[str, str, int, int | None]
#: /proc/cpuinfo flag (x86) -> Hearth's feature name. Any avx512* flag counts as "avx512".
_X86_FLAGS = {"avx": "avx", "avx2": "avx2", "fma": "fma", "f16c": "f16c", "avx512f": "avx512"}
#: macOS sysctl feature words (upper case) -> Hearth's feature name.
_MAC_FLAGS = {"AVX1.0": "avx", "AVX2": "avx2", "FMA": "fma", "F16C": "f16c", "AVX512F": "avx512"}
#: Windows IsProcessorFeaturePresent ids (winnt.h): PF_AVX_, PF_AVX2_, PF_AVX512F_INSTRUCTIONS_AVAILABLE.
_WIN_FLAGS = {39: "avx", 40: "avx2", 41: "avx512"}
_SMALL_TIMEOUT = 5.0


def cpu_features(system: str, machine: str) -> frozenset[str]:
    """SIMD features llama.cpp cares about, as far as this OS lets us see them."""
    machine = machine.lower()
    if machine in ("arm64", "aarch64") or machine.startswith("armv8"):
        return frozenset({"neon"})  # Advanced SIMD is mandatory on 64-bit ARM
    try:
        if system == "Linux":
            return _linux_features(Path("/proc/cpuinfo"))
        if system == "Darwin":
            return _mac_features()
        if system == "Windows":
            return _windows_features()
    except (OSError, ValueError, AttributeError) as exc:
        log.debug("CPU feature detection failed: %s", exc)
    return frozenset()


def _linux_features(cpuinfo: Path) -> frozenset[str]:
    found: set[str] = set()
    with open(cpuinfo, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key.strip() in ("flags", "Features"):
                flags = set(value.split())
                found |= {name for flag, name in _X86_FLAGS.items() if flag in flags}
                if any(f.startswith("avx512") for f in flags):
                    found.add("avx512")
                if {"asimd", "neon"} & flags:
                    found.add("neon")
                break  # every core reports the same flags
    return frozenset(found)


def _mac_features() -> frozenset[str]:
    words: set[str] = set()
    for key in ("machdep.cpu.features", "machdep.cpu.leaf7_features"):
        done = subprocess.run(["sysctl", "-n", key], capture_output=True, text=True,
                              timeout=_SMALL_TIMEOUT, check=False)
        if done.returncode == 0:
            words |= set(done.stdout.upper().split())
    return frozenset(name for word, name in _MAC_FLAGS.items() if word in words)


def _windows_features() -> frozenset[str]:
    present = ctypes.windll.kernel32.IsProcessorFeaturePresent  # type: ignore[attr-defined]
    return frozenset(name for pf, name in _WIN_FLAGS.items() if present(pf))


def nvidia_gpus() -> list[GPUTuple]:
    """NVIDIA GPUs through NVML (the optional nvidia-ml-py package), else ``nvidia-smi``."""
    try:
        import pynvml  # optional: nvidia-ml-py
    except ImportError:
        return _nvidia_smi()
    try:
        pynvml.nvmlInit()
    except Exception as exc:  # NVMLError and friends: no driver, no GPU
        log.debug("NVML unavailable: %s", exc)
        return []
    gpus: list[GPUTuple] = []
    try:
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            name = pynvml.nvmlDeviceGetName(handle)
            memory = pynvml.nvmlDeviceGetMemoryInfo(handle)
            name = name.decode() if isinstance(name, bytes) else str(name)
            gpus.append((name, "nvidia", int(memory.total), int(memory.free)))
    except Exception as exc:
        log.debug("NVML query failed: %s", exc)
    finally:
        with contextlib.suppress(Exception):  # a half-initialised NVML may fail to shut down
            pynvml.nvmlShutdown()
    return gpus


def _nvidia_smi() -> list[GPUTuple]:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return []
    try:
        done = subprocess.run(
            [exe, "--query-gpu=name,memory.total,memory.free", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=_SMALL_TIMEOUT, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.debug("nvidia-smi failed: %s", exc)
        return []
    return parse_nvidia_smi(done.stdout) if done.returncode == 0 else []


def parse_nvidia_smi(text: str) -> list[GPUTuple]:
    """Rows of ``name, total MiB, free MiB`` as ``nvidia-smi --format=csv,noheader,nounits`` prints."""
    gpus: list[GPUTuple] = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.rsplit(",", 2)]
        if len(parts) != 3:
            continue
        try:
            total, free = int(float(parts[1])) << 20, int(float(parts[2])) << 20
        except ValueError:
            continue
        gpus.append((parts[0], "nvidia", total, free))
    return gpus


def amd_gpus_linux(drm: Path = Path("/sys/class/drm")) -> list[GPUTuple]:
    """AMD GPUs from the amdgpu driver's sysfs counters (no tools needed)."""
    gpus: list[GPUTuple] = []
    try:
        cards = sorted(p for p in drm.glob("card[0-9]*") if "-" not in p.name)
    except OSError:
        return gpus
    for card in cards:
        device = card / "device"
        try:
            total = int((device / "mem_info_vram_total").read_text().strip())
            used = int((device / "mem_info_vram_used").read_text().strip())
            name_file = device / "product_name"
            name = name_file.read_text().strip() if name_file.is_file() else ""
        except (OSError, ValueError):
            continue
        gpus.append((name or "AMD GPU", "amd", total, max(0, total - used)))
    return gpus
