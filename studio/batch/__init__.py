"""Creating many avatars at once, with no Qt: shared by the window's Batch panel and
`avatar-studio batch`.

- rows: a batch and its rows (what to create, each row's state), as the journal stores them.
- manifest: rows from a CSV manifest, a folder of photos or a list of files; bad rows named.
- preflight: each row through the single create's checks on worker threads, the duplicate
  guard against the library and earlier rows, and fixed copies (Fit under 4.5 MB, Reframe).
- runner: sending with bounded concurrency, rate-limit and 5xx backoff, pause, resume, cancel,
  retry, the lost-create lookup, and events for a progress view.
- journal: the batch on disk, written atomically at every row change, so it survives a crash.
- results: the manifest written back with each row's id, status, error and creation time.
- avatars: creating one avatar, and finding one whose create's answer was lost.

Nothing is imported here, so the window can load one module without the others.
"""
