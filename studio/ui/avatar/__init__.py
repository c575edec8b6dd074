"""The Create avatar tab and its result card."""
