"""The Live preview: a real session's video, sound and conversation."""
