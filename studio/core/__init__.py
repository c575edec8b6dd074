"""Pure rules shared by the sandbox, the API client and the UI: no Qt, no I/O."""
