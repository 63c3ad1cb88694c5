"""The tests' tiny-model factory: the same one ``hearth --self-test`` uses, from the package."""

from hearth.core.tiny_model import CHAT_TEMPLATE, vocabulary, write_split_gguf, write_tiny_gguf

__all__ = ["CHAT_TEMPLATE", "vocabulary", "write_split_gguf", "write_tiny_gguf"]
