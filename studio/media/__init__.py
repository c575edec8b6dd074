"""Reading image and video files from disk or the web for the checks (no Qt)."""
