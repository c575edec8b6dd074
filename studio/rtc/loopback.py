"""Keeping WebRTC on 127.0.0.1: ICE gathering restricted to loopback, remote candidates filtered, and
connectivity checks from elsewhere ignored.

Why a process-wide patch: aiortc has no setting for which addresses ICE gathers, and aioice (its ICE
library) gathers every interface *except* 127.0.0.1. A sandbox session must never send media off the
machine, and its engine and client can only meet on loopback, so while a sandbox session is in use
``aioice.ice.get_host_addresses`` (a module function, looked up at every gathering) answers
127.0.0.1 only. It is reference-counted: the engine holds it while any of its peers exists, a client
in the same process holds it around its own session, and the original comes back when the last
holder leaves, so a process that later talks to Anam's real engines gathers its real addresses.
While it is held, *every* peer the process creates is loopback-only: don't run a sandbox session and
a session against Anam's cloud in one process at the same time.

Filtering the candidates a client signals is not enough: a browser also sends connectivity checks
from its sockets on the machine's other addresses to our 127.0.0.1 candidate, and answering one
would pair with that address (peer-reflexive). So, while held, aioice's ``Connection.request_received``
drops checks that do not come from loopback: only loopback pairs can succeed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import threading
from collections.abc import Iterator

import aioice.ice
import aioice.stun

LOOPBACK_ADDRESS = "127.0.0.1"


def _loopback_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    return [LOOPBACK_ADDRESS] if use_ipv4 else []


def _is_loopback_address(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a hostname, such as a browser's mDNS name: never loopback
        return False


class _LoopbackPatch:
    """Who holds the patch; the first holder applies it, the last one removes it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the sandbox thread and a client thread share it
        self._holders = 0
        self._original = aioice.ice.get_host_addresses
        self._original_request_received = aioice.ice.Connection.request_received

    def acquire(self) -> None:
        with self._lock:
            if self._holders == 0:
                self._original = aioice.ice.get_host_addresses
                self._original_request_received = answer = aioice.ice.Connection.request_received

                def loopback_checks_only(
                    connection: aioice.ice.Connection,
                    message: aioice.stun.Message,
                    addr: tuple[str, int],
                    protocol: aioice.ice.StunProtocol,
                ) -> None:
                    if _is_loopback_address(addr[0]):
                        answer(connection, message, addr, protocol)

                aioice.ice.get_host_addresses = _loopback_addresses
                aioice.ice.Connection.request_received = loopback_checks_only
            self._holders += 1

    def release(self) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0:
                aioice.ice.get_host_addresses = self._original
                aioice.ice.Connection.request_received = self._original_request_received

    @property
    def active(self) -> bool:
        return self._holders > 0


_PATCH = _LoopbackPatch()


@contextlib.contextmanager
def loopback_ice() -> Iterator[None]:
    """Inside, every ICE gathering in this process offers 127.0.0.1 only (nestable, thread-safe)."""
    _PATCH.acquire()
    try:
        yield
    finally:
        _PATCH.release()


def loopback_ice_active() -> bool:
    """Whether some holder currently restricts ICE to loopback."""
    return _PATCH.active


def is_loopback_candidate(candidate: str) -> bool:
    """True for an ICE candidate ("candidate:… <address> <port> typ …") on a loopback address."""
    fields = candidate.removeprefix("a=").split()
    return len(fields) >= 8 and _is_loopback_address(fields[4])


def loopback_only_sdp(sdp: str) -> tuple[str, int]:
    """The SDP without candidates off loopback, and how many loopback candidates it keeps."""
    kept: list[str] = []
    loopback = 0
    for line in sdp.splitlines():
        if line.startswith("a=candidate:"):
            if not is_loopback_candidate(line):
                continue
            loopback += 1
        kept.append(line)
    return "\r\n".join(kept) + "\r\n", loopback
