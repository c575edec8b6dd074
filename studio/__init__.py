"""Avatar Studio: create real-time video avatars and preview the sessions they drive."""

__version__ = "0.1.0"
