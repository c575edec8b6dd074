"""The Sessions tab: sessions the server ran and the live panel recorded, each with its details,
conversation, recording and latency."""
