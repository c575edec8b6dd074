"""Signed, expiring media URLs (HMAC-SHA256), like the presigned storage URLs Anam hands out."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from urllib.parse import urlencode


class UrlSigner:
    """Signs a path with an expiry; verification fails for expired or altered URLs."""

    def __init__(self, secret: bytes, ttl_seconds: float) -> None:
        self._secret = secret
        self.ttl_seconds = ttl_seconds

    def sign(self, path: str, now: float | None = None) -> str:
        """The path with `expires` and `signature` query parameters appended."""
        expires = math.ceil((time.time() if now is None else now) + self.ttl_seconds)
        return f"{path}?{urlencode({'expires': expires, 'signature': self._digest(path, expires)})}"

    def check(
        self,
        path: str,
        expires: str,
        signature: str,
        renew: str = "fetch the avatar again for a fresh one",
    ) -> str | None:
        """None when the signature is good and current, otherwise why not (``renew``: how to get
        a fresh URL)."""
        if not expires.isdigit() or not hmac.compare_digest(
            self._digest(path, int(expires)), signature
        ):
            return "The media URL's signature is not valid."
        if int(expires) < time.time():
            return f"The media URL has expired: {renew}."
        return None

    def _digest(self, path: str, expires: int) -> str:
        return hmac.new(self._secret, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()
