"""Downloading an avatar's imageUrl: http(s) only, a few redirects, one deadline and the image size cap."""

from __future__ import annotations

import asyncio

import httpx

from studio.core.images import MAX_IMAGE_BYTES, describe_bytes
from studio.core.rules import RuleViolation
from studio.sandbox.errors import ApiError

MAX_REDIRECTS = 5
_HTTP_SCHEMES = ("http", "https")


class _Refused(Exception):
    """The server answered, but not with something we will take."""


async def fetch_image(url: str, timeout: float) -> bytes:
    """The image at ``url``, or a 400 naming what stopped the download.

    ``timeout`` bounds the whole download, so a server trickling bytes cannot hold a request.
    """
    try:
        async with asyncio.timeout(timeout):
            return await _download(url, timeout)
    except TimeoutError:
        problem = f"the whole image did not arrive within {timeout:g} s"
    except _Refused as refused:
        problem = str(refused)
    except httpx.TimeoutException:
        problem = f"no answer within {timeout:g} s"
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError):
        problem = "it is not a valid URL"
    except httpx.ConnectError:
        problem = "nothing answers at that address"
    except httpx.HTTPError as error:
        problem = f"the connection failed ({type(error).__name__})"
    raise ApiError.invalid(
        RuleViolation("imageUrl", f"The image URL could not be downloaded: {problem}.")
    )


async def _download(url: str, timeout: float) -> bytes:
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        request = client.build_request("GET", url)
        for hop in range(MAX_REDIRECTS + 1):
            if request.url.scheme not in _HTTP_SCHEMES:
                where = "it redirects to" if hop else "it is"
                raise _Refused(
                    f"{where} a non-web address ({request.url.scheme}:); only http and https are followed"
                )
            response = await client.send(request, stream=True)
            try:
                if response.next_request is None:
                    return await _read_capped(response)
            finally:
                await response.aclose()
            request = response.next_request
        raise _Refused(f"it redirects more than {MAX_REDIRECTS} times")


async def _read_capped(response: httpx.Response) -> bytes:
    """The body of a 200 answer, stopped as soon as it passes the image size limit."""
    if response.status_code != 200:
        raise _Refused(f"the server answered {response.status_code}")
    limit = describe_bytes(MAX_IMAGE_BYTES)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_IMAGE_BYTES:
        raise _Refused(f"it is {describe_bytes(int(declared))}; the limit is {limit}")
    data = bytearray()
    async for chunk in response.aiter_bytes():
        data += chunk
        if len(data) > MAX_IMAGE_BYTES:
            raise _Refused(f"it is larger than the {limit} limit")
    return bytes(data)
