"""Downloading an image the user pointed at by URL, with a timeout, a size cap and plain messages.

``download_image`` opens a connection per call; ``ImageDownloads`` keeps one pool of keep-alive
connections for many small downloads (a grid's thumbnails), under the same rules.
"""

from __future__ import annotations

import contextlib
import functools
import ssl
import time
from urllib.parse import urlsplit

import httpx

from studio.api.errors import FieldError, NetworkError, ValidationError, client_side

DOWNLOAD_CAP_BYTES = 64_000_000
"""Far above the 4.5 MB upload limit, so an oversized photo still loads and can be fitted."""
DOWNLOAD_TIMEOUT = 20.0
"""Seconds to wait for the server to connect, answer, or send the next part of the file."""
MAX_REDIRECTS = 5
DOWNLOAD_DEADLINE = 120.0
"""Seconds for the whole download: a server trickling bytes must not keep the studio waiting."""
_WEB_PAGE_TYPES = ("text/html", "application/xhtml+xml")


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every download: building one loads the CA bundle (tens of ms)."""
    return httpx.create_ssl_context()


def _new_client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS, verify=_tls()
    )


class ImageDownloads:
    """Many downloads over one pool of keep-alive connections, opened on first use.

    A new client per image costs a connection, a TLS handshake and several milliseconds of
    Python on the calling loop each time; a grid of thousands of thumbnails pays that once.
    """

    def __init__(self) -> None:
        self._http: httpx.AsyncClient | None = None

    async def get(self, url: str) -> bytes:
        """The bytes at ``url``, as ``download_image`` gets them."""
        if self._http is None or self._http.is_closed:
            self._http = _new_client(DOWNLOAD_TIMEOUT)
        return await download_image(url, http=self._http)

    @property
    def is_open(self) -> bool:
        """True while connections may be held open (``aclose`` releases them)."""
        return self._http is not None and not self._http.is_closed

    async def aclose(self) -> None:
        """Close the connections; the next ``get`` opens new ones."""
        http, self._http = self._http, None
        if http is not None:
            await http.aclose()


async def download_image(
    url: str, *, timeout: float | None = None, http: httpx.AsyncClient | None = None
) -> bytes:
    """The bytes at an http(s) URL; ValidationError for a bad URL, NetworkError when unreachable.

    ``timeout`` defaults to DOWNLOAD_TIMEOUT. Redirects are followed to http(s) addresses only
    (never to file:// or other schemes). ``http`` is a client to reuse (see ImageDownloads);
    without it the download opens and closes its own.
    """
    timeout = timeout or DOWNLOAD_TIMEOUT
    if urlsplit(url).scheme not in ("http", "https"):
        raise _refused("The image URL must start with http:// or https://.")
    host = urlsplit(url).netloc
    deadline = time.monotonic() + DOWNLOAD_DEADLINE
    try:
        async with contextlib.AsyncExitStack() as stack:
            if http is None:
                http = await stack.enter_async_context(_new_client(timeout))
            response = await stack.enter_async_context(http.stream("GET", url, timeout=timeout))
            _check_answer(response)
            data = bytearray()
            async for chunk in response.aiter_bytes():
                # A clock check, not asyncio.timeout: under qasync each timeout leaves a Qt timer
                # behind until it would have fired, and a thousand thumbnails then slow the loop.
                if time.monotonic() > deadline:
                    raise TimeoutError
                data += chunk
                if len(data) > DOWNLOAD_CAP_BYTES:
                    raise _refused("The file at that address is far too large for a photo.")
            return bytes(data)
    except ValidationError:
        raise
    except httpx.UnsupportedProtocol:
        raise _refused(
            "The address redirects to something that is not http or https (such as a file "
            "on a computer): it was not followed."
        ) from None
    except httpx.TooManyRedirects:
        raise _refused(f"The address redirects more than {MAX_REDIRECTS} times.") from None
    except (httpx.InvalidURL, ValueError):
        raise _refused("That is not a valid web address.") from None
    except httpx.TimeoutException:
        raise NetworkError(
            f"No answer from {host} within {timeout:g} second{'' if timeout == 1 else 's'}. "
            "Try again later, or save the photo and open the file instead."
        ) from None
    except TimeoutError:
        raise NetworkError(
            f"The download from {host} took over {DOWNLOAD_DEADLINE:g} seconds and was stopped. "
            "Save the photo and open the file instead."
        ) from None
    except httpx.ConnectError:
        raise NetworkError(
            f"Nothing answers at {host}: check the address, or whether the site is down."
        ) from None
    except httpx.HTTPError:
        raise NetworkError(f"The download from {host} broke off. Try again.") from None


def _check_answer(response: httpx.Response) -> None:
    """Refuse an error status or a web page before reading the body."""
    if response.status_code != 200:
        reason = f" ({response.reason_phrase})" if response.reason_phrase else ""
        raise _refused(f"The address answered {response.status_code}{reason} instead of an image.")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in _WEB_PAGE_TYPES:
        raise _refused(
            "The address leads to a web page, not to an image. Open it in a browser, "
            "right-click the photo, choose Copy Image Address and use that address."
        )


def _refused(message: str) -> ValidationError:
    return client_side([FieldError("imageUrl", message)])
