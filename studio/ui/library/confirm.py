"""What the library's delete confirmations say (the bar itself is studio.ui.widgets.confirm_bar)."""

GONE_SENTENCE = (
    "Deleted avatars are gone from the library: the studio cannot bring them back,"
    " and sessions can no longer use them."
)
"""Anam's API has no restore (and lists no deleted avatars), so no delete promises one."""
