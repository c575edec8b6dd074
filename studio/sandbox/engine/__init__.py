"""The sandbox's live engine: what Anam's SDKs connect to for a real-time session, on loopback only."""
