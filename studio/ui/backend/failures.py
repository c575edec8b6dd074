"""Failures shown to people: the error policy (studio.api.errors) applied to an error bar.

Every widget that reports a failed API call goes through ``report_failure``: one sentence from
``describe``, a Retry only when trying again can help, held back as long as the server asked.
"""

from __future__ import annotations

from collections.abc import Callable

from studio.ui.widgets.error_bar import ErrorBar


def report_failure(
    bar: ErrorBar,
    error: BaseException,
    *,
    retry: Callable[[], None] | None = None,
    context: str = "",
    fallback: str | None = None,
    status: bool = False,
) -> None:
    """Say in ``bar`` what failed (after ``context``); offer ``retry`` when trying again can help.

    With ``status``, the sentence ends with the answer's HTTP status, for views read by support.
    """
    from studio.api.errors import describe, retry_after, retry_can_help  # loaded after first paint

    message = describe(error, fallback)
    if status and (code := getattr(error, "status", None)) is not None:
        message += f" (HTTP {code})"
    bar.show_failure(
        f"{context}: {message}" if context else message,
        retry if retry is not None and retry_can_help(error) else None,
        wait=retry_after(error),
    )
