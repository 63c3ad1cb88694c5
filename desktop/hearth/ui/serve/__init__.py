"""Settings → Serve: the local OpenAI-compatible API server, its key, network access and snippets."""
