"""The PySide6 views: thin widgets and item models over the core, plus a background worker helper."""
