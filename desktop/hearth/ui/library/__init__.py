"""The Library page: table model, details panel, actions and background jobs."""
