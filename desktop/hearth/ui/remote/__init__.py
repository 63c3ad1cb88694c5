"""Settings → Remote engines: OpenAI-compatible servers the Chat page can run on (list, add, test, keys)."""
