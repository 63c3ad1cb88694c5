"""Values the factory's models must have, worked out from first principles (not by reading them)."""

from __future__ import annotations

from tests.helpers.gguf_factory import vocabulary

VOCAB = len(vocabulary()[0])


def expected_parameters(n_embd: int = 64, n_layer: int = 2, n_head: int = 4, n_head_kv: int = 2,
                        n_ff: int = 128) -> int:
    """Elements of a llama model with the factory's layout (defaults: the factory's defaults)."""
    kv_dim = n_embd // n_head * n_head_kv
    per_layer = (
        2 * n_embd                      # attention and ffn norms
        + 2 * n_embd * n_embd           # q and output projections
        + 2 * kv_dim * n_embd           # k and v projections
        + 3 * n_ff * n_embd             # gate, down, up
    )
    return 2 * VOCAB * n_embd + n_embd + n_layer * per_layer  # embeddings, output, output norm
