"""Session tokens: what the Session tab's Generate and the live preview's Start ask of the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the client is heavy: widgets import this module before it loads
    from studio.api import AnamClient, SessionToken
    from studio.core.session_request import SessionRequest


async def mint_session_token(client: AnamClient, *, request: SessionRequest) -> SessionToken:
    """A session token for ``request`` (its rules are checked first: nothing is sent if any fail)."""
    return await client.create_session_token(request)
