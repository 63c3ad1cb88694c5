"""The Embeddings page: embed and compare texts, and search document collections, all on this machine."""
