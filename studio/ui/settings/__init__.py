"""Settings: the dialog, the persisted preferences and the window's UI state."""
