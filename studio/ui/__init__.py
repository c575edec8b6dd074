"""The Qt layer: widgets, the window, and the one async bridge they reach the API through."""
