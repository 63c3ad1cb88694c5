"""Hearth: find, check, download and run open GGUF models on your own computer."""

__version__ = "0.1.0"
APP_NAME = "Hearth"
APP_ID = "hearth"
