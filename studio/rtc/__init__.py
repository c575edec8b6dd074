"""WebRTC plumbing shared by the sandbox's engine and the studio's live client (no Qt, no studio layer)."""
