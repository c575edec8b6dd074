"""A share link itself: ``GET /share/<token>`` (the player page) and ``POST /share/<token>/session``.

Public routes, like Anam's share pages: the token is the credential. Showing the page counts
nothing; the page's POST counts one use and answers a session token for the link's persona,
which the page then uses exactly as any browser client uses a token. A link that is unknown,
switched off, expired or used up, or whose persona is gone, gets a page (or, for the POST, a JSON
error) that says why, with the HTTP status that fits.

Framing follows the link's kind: a LINK is never framed, an embed may be framed by its
``allowedOrigins`` (or anywhere, with ``allowAllOrigins``): Content-Security-Policy frame-ancestors.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from studio.core.share_links import SHARE_PATH, ShareLinkKind
from studio.sandbox.engine.routes import registry_of
from studio.sandbox.errors import ApiError
from studio.sandbox.sessions import mint_session_token
from studio.sandbox.share_link_store import ShareLinkRow, share_links_of
from studio.sandbox.share_player import player_page, refusal_page
from studio.sandbox.state import sandbox_of

router = APIRouter()

UNKNOWN_LINK = "There is no such link: check that it was copied whole."
PERSONA_GONE = "The persona this link shared has been deleted."
NO_AVATAR = "The persona this link shares has no avatar yet, so it cannot be shown."


@router.get(SHARE_PATH + "/{token}", response_class=HTMLResponse)
def share_page(request: Request, token: str, view: str = "") -> HTMLResponse:
    row = share_links_of(request).by_token(token)
    if row is None:
        return _html(refusal_page(UNKNOWN_LINK, view), 404, None)
    status, reason = _refused(request, row)
    if reason:
        return _html(refusal_page(reason, view), status, row)
    page = player_page(row.persona_name, f"{SHARE_PATH}/{token}/session", view)
    return _html(page, 200, row)


@router.post(SHARE_PATH + "/{token}/session")
def share_session(request: Request, token: str) -> dict[str, Any]:
    """Count one use of the link and answer a session token for its persona."""
    links = share_links_of(request)
    row = links.by_token(token)
    if row is None:
        raise ApiError(404, UNKNOWN_LINK)
    status, reason = _refused(request, row)
    if reason:
        raise ApiError(status, reason)
    registry_of(request).check_capacity()  # a busy engine does not eat a use
    body = {"personaConfig": {"personaId": row.persona_id}, "clientLabel": f"Share link {row.id}"}
    session_token = mint_session_token(sandbox_of(request), body)  # before counting: it may 400
    used, reason = links.use(token)
    if reason or used is None:
        raise ApiError(_status(row), reason or UNKNOWN_LINK)
    left = None if used.usage_limit is None else used.usage_limit - used.usage_count
    return {"sessionToken": session_token, "personaName": used.persona_name, "usesLeft": left}


def _refused(request: Request, row: ShareLinkRow) -> tuple[int, str | None]:
    """The status and reason a link cannot start a session now (reason None when it can)."""
    persona = sandbox_of(request).store.get_persona(row.persona_id)
    if persona is None:
        return 410, PERSONA_GONE
    if not persona.config.get("avatarId"):
        return 409, NO_AVATAR
    reason = row.refusal()
    return (_status(row), reason) if reason else (200, None)


def _status(row: ShareLinkRow) -> int:
    """403 for a link its owner switched off; 410 Gone for one expired or used up."""
    return 403 if not row.enabled else 410


def _html(page: str, status: int, row: ShareLinkRow | None) -> HTMLResponse:
    return HTMLResponse(
        page,
        status_code=status,
        headers={
            "Content-Security-Policy": f"frame-ancestors {_frame_ancestors(row)}",
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
    )


def _frame_ancestors(row: ShareLinkRow | None) -> str:
    if row is None or row.kind == ShareLinkKind.LINK:
        return "'none'"
    if row.allow_all_origins:
        return "*"
    return " ".join(["'self'", *row.allowed_origins])
