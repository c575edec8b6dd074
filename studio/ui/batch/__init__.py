"""The Batch panel: many avatars at once from a folder, files or a CSV manifest (issue 16)."""
