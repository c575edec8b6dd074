"""Where the studio keeps things and which backend it talks to: paths, API keys, profiles (no Qt)."""
