"""Qt-free domain logic: plain typed Python that can be tested without a display.

Nothing in this package may import PySide6 or llama_cpp (checked by the
import-linter contract in pyproject.toml and by tests/unit/test_layers.py).
"""
