"""Keeping WebRTC on this machine: ICE gathering restricted to loopback, remote candidates filtered, and
connectivity checks from other machines ignored.

Why a process-wide patch: aiortc has no setting for which addresses ICE gathers, and aioice (its ICE
library) gathers every interface *except* 127.0.0.1. A sandbox session must never send media off the
machine, and its engine and client can only meet on loopback, so while a sandbox session is in use
``aioice.ice.get_host_addresses`` (a module function, looked up at every gathering) answers
127.0.0.1 only. It is reference-counted: the engine holds it while any of its peers exists, a client
in the same process holds it around its own session, and the original comes back when the last
holder leaves, so a process that later talks to Anam's real engines gathers its real addresses.
While it is held, *every* peer the process creates is loopback-only: don't run a sandbox session and
a session against Anam's cloud in one process at the same time.

Filtering the candidates a client signals is not enough: a browser sends connectivity checks to our
127.0.0.1 candidate from its sockets on every address it has, and answering one pairs with that
address (peer-reflexive). So, while held, aioice's ``Connection.request_received`` answers only
checks from this machine: loopback or one of its own interface addresses. A desktop browser as
people start it offers no 127.0.0.1 candidate (Chrome needs --allow-loopback-in-peer-connection) and
hides its addresses behind mDNS names, but its checks come from the machine's own address and pair
with the engine's 127.0.0.1, over the loopback interface: the media still never leaves the machine.
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


def _canonical(host: str) -> str:
    """``host`` without an IPv6 zone ("fe80::1%eth0"), as interfaces list it."""
    return host.split("%", 1)[0]


class _LoopbackPatch:
    """Who holds the patch; the first holder applies it, the last one removes it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the sandbox thread and a client thread share it
        self._holders = 0
        self._original = aioice.ice.get_host_addresses
        self._original_request_received = aioice.ice.Connection.request_received
        self.own_addresses: frozenset[str] = frozenset()
        """This machine's interface addresses, read when the first holder came."""

    def acquire(self) -> None:
        with self._lock:
            if self._holders == 0:
                self._original = aioice.ice.get_host_addresses
                self._original_request_received = answer = aioice.ice.Connection.request_received
                self.own_addresses = frozenset(
                    _canonical(address) for address in self._original(True, True)
                )

                def checks_from_this_machine_only(
                    connection: aioice.ice.Connection,
                    message: aioice.stun.Message,
                    addr: tuple[str, int],
                    protocol: aioice.ice.StunProtocol,
                ) -> None:
                    if self.is_this_machine(addr[0]):
                        answer(connection, message, addr, protocol)

                aioice.ice.get_host_addresses = _loopback_addresses
                aioice.ice.Connection.request_received = checks_from_this_machine_only
            self._holders += 1

    def release(self) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0:
                aioice.ice.get_host_addresses = self._original
                aioice.ice.Connection.request_received = self._original_request_received

    def is_this_machine(self, host: str) -> bool:
        """Whether ``host`` (an IP address) is loopback or one of this machine's addresses."""
        return _is_loopback_address(host) or _canonical(host) in self.own_addresses

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


def is_this_machine(host: str) -> bool:
    """Whether connectivity checks from ``host`` are answered: loopback, or (while the patch is
    held) one of this machine's own addresses."""
    return _PATCH.is_this_machine(host)


def is_loopback_candidate(candidate: str) -> bool:
    """True for an ICE candidate ("candidate:… <address> <port> typ …") on a loopback address."""
    fields = candidate.removeprefix("a=").split()
    return len(fields) >= 8 and _is_loopback_address(fields[4])


def is_local_candidate(candidate: str) -> bool:
    """True for an ICE candidate a client on this machine offers: on loopback, on one of the
    machine's addresses (while ``loopback_ice`` is held), or behind an mDNS name (a browser hiding
    its address; its checks show where it is)."""
    fields = candidate.removeprefix("a=").split()
    if len(fields) < 8:
        return False
    address = fields[4]
    return address.endswith(".local") or is_this_machine(address)


def loopback_only_sdp(sdp: str) -> tuple[str, int]:
    """The SDP without candidates off loopback, and how many candidates it had from this machine
    (``is_local_candidate``)."""
    kept: list[str] = []
    local = 0
    for line in sdp.splitlines():
        if line.startswith("a=candidate:"):
            local += is_local_candidate(line)
            if not is_loopback_candidate(line):
                continue
        kept.append(line)
    return "\r\n".join(kept) + "\r\n", local
