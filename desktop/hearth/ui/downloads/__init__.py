"""The Downloads page: Hub downloads in progress, paused, failed and done."""
