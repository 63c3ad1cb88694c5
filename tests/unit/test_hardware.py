"""Hardware probing: the real machine, and each detector on crafted inputs."""

from __future__ import annotations

import json
import os
import platform
import stat
import sys
from pathlib import Path

import pytest

from hearth.core import hardware, hardware_probe
from hearth.core.hardware import (
    GIB,
    GPUInfo,
    HardwareProfile,
    llama_gpu_backends,
    probe,
    probe_gpu_offload_subprocess,
    refine_gpu_offload,
    unified_gpu_share,
)
from tests.helpers.fake_hardware import DESKTOP_NVIDIA, LAPTOP_8GB, MAC_32GB

KNOWN_FEATURES = {"avx", "avx2", "avx512", "fma", "f16c", "neon"}


def test_probe_on_this_machine_is_sane() -> None:
    profile = probe(refresh=True)
    assert profile.total_ram > 256 << 20
    assert 0 < profile.available_ram <= profile.total_ram
    assert 1 <= profile.physical_cores <= profile.logical_cores
    assert profile.cpu_features <= KNOWN_FEATURES
    assert profile.system == platform.system()
    assert profile.gpu_offload in (True, False, None)
    for gpu in profile.gpus:
        assert gpu.total_bytes > 0 and gpu.name
    json.dumps(profile.to_json())


def test_probe_is_cached_until_refreshed() -> None:
    first = probe()
    assert probe() is first
    assert probe(refresh=True) is not first


def test_build_files_agree_with_llama_cpp_itself() -> None:
    """The file listing must give the answer llama.cpp gives when asked in a child process."""
    from_files = llama_gpu_backends()
    if from_files is None:
        pytest.skip("this llama.cpp build keeps its backends in one library")
    assert probe_gpu_offload_subprocess(timeout=120) is bool(from_files)


@pytest.mark.parametrize(("files", "expected"), [
    (["libllama.so", "libggml-base.so", "libggml-cpu.so", "libggml.so.0.25.3"], ()),
    (["libllama.so", "libggml-cpu-haswell.so", "libggml-cuda.so"], ("cuda",)),
    (["llama.dll", "ggml-cpu.dll", "ggml-vulkan.dll"], ("vulkan",)),
    (["libllama.dylib", "libggml-cpu.dylib", "libggml-metal.dylib", "libggml-blas.dylib"], ("metal",)),
    (["libllama.so", "libggml-hip.so", "libggml-cuda.so"], ("cuda", "hip")),
    (["libllama.so"], None),  # one monolithic library: cannot tell
    ([], None),
])
def test_gpu_backends_from_library_names(tmp_path: Path, files: list[str], expected: tuple[str, ...] | None) -> None:
    for name in files:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "cmake").mkdir()
    assert llama_gpu_backends([tmp_path]) == expected


def test_subprocess_probe_failure_is_none(tmp_path: Path) -> None:
    assert probe_gpu_offload_subprocess(str(tmp_path / "no-such-python"), timeout=10) is None


@pytest.mark.skipif(os.name == "nt", reason="uses a shell script as a stand-in interpreter")
def test_subprocess_probe_reads_the_last_line(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho 'loading backends...'\necho True\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert probe_gpu_offload_subprocess(str(fake), timeout=10) is True


def test_refine_settles_unknown_offload(monkeypatch: pytest.MonkeyPatch) -> None:
    unknown = HardwareProfile(16 * GIB, 8 * GIB, gpus=(GPUInfo("GPU", "nvidia", 8 * GIB),), gpu_offload=None)
    monkeypatch.setattr(hardware, "_cached", unknown)
    monkeypatch.setattr(hardware, "probe_gpu_offload_subprocess", lambda timeout: True)
    assert refine_gpu_offload().gpu_offload is True
    assert probe().gpu_offload is True


def test_linux_cpuinfo_flags(tmp_path: Path) -> None:
    x86 = tmp_path / "x86"
    x86.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma f16c avx512bw avx512vl\n\n"
                   "processor\t: 1\nflags\t\t: fpu\n")
    assert hardware_probe._linux_features(x86) == {"avx", "avx2", "fma", "f16c", "avx512"}
    arm = tmp_path / "arm"
    arm.write_text("processor\t: 0\nFeatures\t: fp asimd evtstrm aes crc32\n")
    assert hardware_probe._linux_features(arm) == {"neon"}


def test_arm64_always_has_neon() -> None:
    assert hardware_probe.cpu_features("Darwin", "arm64") == {"neon"}
    assert hardware_probe.cpu_features("Linux", "aarch64") == {"neon"}


def test_unknown_system_has_no_features() -> None:
    assert hardware_probe.cpu_features("Plan9", "x86_64") == frozenset()


def test_nvidia_smi_output_is_parsed() -> None:
    text = "NVIDIA GeForce RTX 4090, 24564, 23000\nNVIDIA A100-SXM4-80GB, 81920, 80000\ngarbage line\n"
    assert hardware_probe.parse_nvidia_smi(text) == [
        ("NVIDIA GeForce RTX 4090", "nvidia", 24564 << 20, 23000 << 20),
        ("NVIDIA A100-SXM4-80GB", "nvidia", 81920 << 20, 80000 << 20),
    ]


def test_amd_gpus_from_sysfs(tmp_path: Path) -> None:
    device = tmp_path / "card0" / "device"
    device.mkdir(parents=True)
    (device / "mem_info_vram_total").write_text(f"{16 * GIB}\n")
    (device / "mem_info_vram_used").write_text(f"{GIB}\n")
    (device / "product_name").write_text("Radeon RX 7800 XT\n")
    (tmp_path / "card0-DP-1").mkdir()  # a connector, not a card
    (tmp_path / "card1" / "device").mkdir(parents=True)  # an iGPU without VRAM counters
    assert hardware_probe.amd_gpus_linux(tmp_path) == [("Radeon RX 7800 XT", "amd", 16 * GIB, 15 * GIB)]


def test_nvml_is_optional() -> None:
    # Without nvidia-ml-py (the default install) the detector falls back quietly.
    if "pynvml" in sys.modules:
        pytest.skip("nvidia-ml-py is installed here")
    assert isinstance(hardware_probe.nvidia_gpus(), list)


def test_unified_memory_share() -> None:
    assert unified_gpu_share(24 * GIB) == 16 * GIB
    assert unified_gpu_share(64 * GIB) == 48 * GIB


def test_profile_properties() -> None:
    assert LAPTOP_8GB.gpu_usable is False and LAPTOP_8GB.vram_bytes == 0
    assert DESKTOP_NVIDIA.gpu_usable and DESKTOP_NVIDIA.vram_bytes == int(7.5 * GIB)  # free, not total
    assert MAC_32GB.unified_memory and MAC_32GB.vram_bytes == unified_gpu_share(32 * GIB)
    cpu_build = HardwareProfile(16 * GIB, 8 * GIB, gpus=DESKTOP_NVIDIA.gpus, gpu_offload=False)
    assert cpu_build.gpu_usable is False and cpu_build.vram_bytes == 0  # a GPU llama.cpp cannot use
    unknown = HardwareProfile(16 * GIB, 8 * GIB, gpus=DESKTOP_NVIDIA.gpus, gpu_offload=None)
    assert unknown.gpu_usable is True
    assert json.loads(json.dumps(MAC_32GB.to_json()))["gpus"][0]["unified"] is True
