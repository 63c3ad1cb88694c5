"""The Chat page: conversations on the left, the messages and composer on the right, the model on top."""
