"""Downloading an image the user pointed at by URL, with a timeout and a size cap."""

from __future__ import annotations

import functools
import ssl
from urllib.parse import urlsplit

import httpx

from studio.api.errors import FieldError, NetworkError, ValidationError, client_side

DOWNLOAD_CAP_BYTES = 64_000_000
"""Far above the 4.5 MB upload limit, so an oversized photo still loads and can be fitted."""


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every download: building one loads the CA bundle (tens of ms)."""
    return httpx.create_ssl_context()


async def download_image(url: str, *, timeout: float = 20.0) -> bytes:
    """The bytes at an http(s) URL; ValidationError for a bad URL, NetworkError when unreachable."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise client_side(
            [FieldError("imageUrl", "The image URL must start with http:// or https://.")]
        )
    try:
        async with (
            httpx.AsyncClient(
                timeout=timeout, follow_redirects=True, max_redirects=5, verify=_tls()
            ) as http,
            http.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise client_side(
                    [
                        FieldError(
                            "imageUrl",
                            f"The address answered {response.status_code} instead of an image.",
                        )
                    ]
                )
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > DOWNLOAD_CAP_BYTES:
                    raise client_side(
                        [
                            FieldError(
                                "imageUrl", "The file at that address is far too large for a photo."
                            )
                        ]
                    )
            return bytes(data)
    except ValidationError:
        raise
    except httpx.UnsupportedProtocol:
        raise client_side(
            [
                FieldError(
                    "imageUrl", "The address redirects to something that is not http or https."
                )
            ]
        ) from None
    except (httpx.InvalidURL, ValueError):
        raise client_side([FieldError("imageUrl", "That is not a valid web address.")]) from None
    except httpx.TimeoutException:
        raise NetworkError(
            f"No answer from {urlsplit(url).netloc} within {timeout:g} seconds."
        ) from None
    except httpx.HTTPError as error:
        raise NetworkError(f"Could not download the image: {type(error).__name__}.") from None
