"""Imaginary machines and real-world model shapes for fit and recommendation tests.

Model shapes are the published architecture numbers of the named models; file
sizes are those of common GGUF quantisations of them (rounded).
"""

from __future__ import annotations

from hearth.core.fit_inputs import FitCandidate, ModelShape
from hearth.core.hardware import GIB, GPUInfo, HardwareProfile, unified_gpu_share
from hearth.core.quants import quant_info

X86 = frozenset({"avx", "avx2", "fma", "f16c"})

LAPTOP_8GB = HardwareProfile(
    total_ram=8 * GIB, available_ram=int(6.5 * GIB), physical_cores=4, logical_cores=8,
    cpu_features=X86, gpus=(), gpu_offload=False, system="Linux", machine="x86_64",
)
DESKTOP_NVIDIA = HardwareProfile(
    total_ram=16 * GIB, available_ram=12 * GIB, physical_cores=8, logical_cores=16, cpu_features=X86,
    gpus=(GPUInfo("NVIDIA GeForce RTX 4060", "nvidia", 8 * GIB, int(7.5 * GIB)),),
    gpu_offload=True, gpu_backends=("cuda",), system="Windows", machine="amd64",
)
_MAC_SHARE = unified_gpu_share(32 * GIB)
MAC_32GB = HardwareProfile(
    total_ram=32 * GIB, available_ram=24 * GIB, physical_cores=10, logical_cores=10,
    cpu_features=frozenset({"neon"}),
    gpus=(GPUInfo("Apple silicon GPU", "apple", _MAC_SHARE, min(_MAC_SHARE, 24 * GIB), unified=True),),
    gpu_offload=True, gpu_backends=("metal",), system="Darwin", machine="arm64",
)
TINY_4GB = HardwareProfile(
    total_ram=4 * GIB, available_ram=int(2.5 * GIB), physical_cores=2, logical_cores=4,
    cpu_features=frozenset({"avx", "avx2"}), gpus=(), gpu_offload=False, system="Linux", machine="x86_64",
)
PROFILES = {"laptop_8gb": LAPTOP_8GB, "desktop_nvidia": DESKTOP_NVIDIA, "mac_32gb": MAC_32GB,
            "tiny_4gb": TINY_4GB}

LLAMA_1B = ModelShape(block_count=16, context_length=131072, embedding_length=2048, head_count=32,
                      head_count_kv=8)
LLAMA_8B = ModelShape(block_count=32, context_length=131072, embedding_length=4096, head_count=32,
                      head_count_kv=8)
QWEN_14B = ModelShape(block_count=48, context_length=32768, embedding_length=5120, head_count=40,
                      head_count_kv=8)
LLAMA_70B = ModelShape(block_count=80, context_length=131072, embedding_length=8192, head_count=64,
                       head_count_kv=8)

#: File sizes (bytes) of an 8B model's usual quants, as a quantiser's repository lists them.
LLAMA_8B_SIZES = {
    "Q2_K": 3_180_000_000, "Q3_K_M": 4_020_000_000, "IQ4_XS": 4_450_000_000, "Q4_K_S": 4_690_000_000,
    "Q4_K_M": 4_920_000_000, "UD-Q4_K_XL": 5_000_000_000, "Q5_K_M": 5_730_000_000,
    "Q6_K": 6_600_000_000, "Q8_0": 8_540_000_000, "F16": 16_070_000_000,
}


def candidate(label: str, size: int, shape: ModelShape | None = None) -> FitCandidate:
    """A candidate named like a Hub quant group (``"UD-Q4_K_XL"`` gives a dynamic quant)."""
    return FitCandidate(quant_info(label), size, shape or ModelShape(), label=label)


def llama_8b_repo() -> list[FitCandidate]:
    return [candidate(label, size, LLAMA_8B) for label, size in LLAMA_8B_SIZES.items()]
