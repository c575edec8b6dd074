"""Named, typed async operations per domain: what each button asks of the API."""
