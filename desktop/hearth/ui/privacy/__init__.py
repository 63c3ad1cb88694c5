"""Settings → Privacy: the offline switch, the network log and where Hearth keeps the user's data."""
