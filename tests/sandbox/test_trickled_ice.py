"""A client that trickles its ICE candidates after the offer, as every browser does: the engine pairs
the loopback ones and streams, ignores those elsewhere, answers connectivity checks from this
machine only, and ends a session whose client offers no candidate on this machine with the reason,
at end-of-candidates or after a short wait.

The client is aiortc speaking Anam's signalling the way the JavaScript SDK does (an offer without
candidates, then one ``icecandidate`` message per candidate); tests/browser/ does it with Chromium.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aioice.ice
import pytest
import websockets
from aiortc import RTCPeerConnection, RTCSessionDescription

from studio.rtc.loopback import LOOPBACK_ADDRESS as LOOPBACK
from studio.rtc.loopback import is_local_candidate, is_this_machine, loopback_ice
from studio.sandbox import SandboxServer
from studio.sandbox.engine.peer import loopback_candidate
from studio.sandbox.engine.routes import SIGNALLING_PATH
from tests.sandbox.conftest import CARA, http_client
from tests.sandbox.live import FRAME_TIMEOUT

OFF_LOOPBACK = [  # what Chromium offers besides loopback: the machine's addresses, mDNS names
    "candidate:3675134030 1 udp 2122063615 192.0.2.2 43070 typ host generation 0",
    "candidate:3699143934 1 udp 2122134271 fd00::2 51681 typ host generation 0",
    "candidate:1 1 udp 2122194687 3f8e1a5c-4e0b-4a55-9a7b-0c6b2f4f2a11.local 50000 typ host",
    "candidate:2780953302 1 tcp 1518083839 192.0.2.2 9 typ host tcptype active generation 0",
]
ELSEWHERE = [  # a client on another machine (documentation addresses no machine here has)
    "candidate:3675134030 1 udp 2122063615 203.0.113.7 43070 typ host generation 0",
    "candidate:3699143934 1 udp 2122134271 2001:db8::7 51681 typ host generation 0",
    "candidate:842163049 1 udp 1677729535 198.51.100.9 61000 typ srflx raddr 0.0.0.0 rport 0",
]


def trickled(offer_sdp: str) -> tuple[str, list[dict[str, Any]]]:
    """The offer without its candidates, and each candidate as the JS SDK sends it (toJSON())."""
    head, *sections = offer_sdp.split("\r\nm=")
    kept, candidates = [head], []
    for index, section in enumerate(sections):
        lines = section.split("\r\n")
        mid = next(line.removeprefix("a=mid:") for line in lines if line.startswith("a=mid:"))
        candidates += [
            {"candidate": line.removeprefix("a="), "sdpMid": mid, "sdpMLineIndex": index}
            for line in lines
            if line.startswith("a=candidate:")
        ]
        kept.append(
            "\r\n".join(
                line
                for line in lines
                if not line.startswith("a=candidate:") and line != "a=end-of-candidates"
            )
        )
    return "\r\nm=".join(kept), candidates


class BrowserLikeClient:
    """A signalling socket and a peer that receives video, trickling its candidates."""

    def __init__(self, socket: Any, session_id: str) -> None:
        self.socket = socket
        self.session_id = session_id
        self.peer = RTCPeerConnection()
        self.peer.createDataChannel("session")
        self.peer.addTransceiver("video", direction="recvonly")
        self.video: asyncio.Future = asyncio.get_running_loop().create_future()
        self.peer.on("track", lambda track: track.kind == "video" and self.video.set_result(track))

    async def send(self, action: str, payload: Any) -> None:
        message = {"actionType": action, "sessionId": self.session_id, "payload": payload}
        await self.socket.send(json.dumps(message))

    async def offer(self) -> list[dict[str, Any]]:
        """Send the offer without candidates; returns the candidates to trickle."""
        await self.peer.setLocalDescription(await self.peer.createOffer())
        sdp, candidates = trickled(self.peer.localDescription.sdp)
        await self.send("offer", {"connectionDescription": {"sdp": sdp, "type": "offer"}})
        return candidates

    async def receive(self, action: str) -> Any:
        """The payload of the next message of this kind (heartbeats and others skipped)."""
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), FRAME_TIMEOUT))
            if message["actionType"] == action:
                return message["payload"]
            assert message["actionType"] != "endsession", message["payload"]


@contextlib.asynccontextmanager
async def browser_like_client(server: SandboxServer) -> AsyncIterator[BrowserLikeClient]:
    with http_client(server) as http:
        started = http.post("/v1/engine/session", json={"personaConfig": {"avatarId": CARA}})
    session_id = started.json()["sessionId"]
    ws_url = server.base_url.replace("http://", "ws://") + SIGNALLING_PATH
    with loopback_ice():
        async with websockets.connect(f"{ws_url}?session_id={session_id}") as socket:
            client = BrowserLikeClient(socket, session_id)
            try:
                yield client
            finally:
                await client.peer.close()


async def ending_reason(client: BrowserLikeClient) -> str:
    while True:
        message = json.loads(await asyncio.wait_for(client.socket.recv(), FRAME_TIMEOUT))
        if message["actionType"] == "endsession":
            return message["payload"]


@pytest.fixture
def engine(start_sandbox) -> SandboxServer:
    return start_sandbox()


async def test_candidates_trickled_after_the_offer_bring_video(engine: SandboxServer) -> None:
    async with browser_like_client(engine) as client:
        candidates = await client.offer()
        for line in OFF_LOOPBACK:  # first, as a browser may send them: the engine must not give up
            await client.send(
                "icecandidate", {"candidate": line, "sdpMid": "0", "sdpMLineIndex": 0}
            )
        answer = await client.receive("answer")
        await client.peer.setRemoteDescription(RTCSessionDescription(**answer))
        for candidate in candidates:
            await client.send("icecandidate", candidate)
        frame = await asyncio.wait_for((await client.video).recv(), FRAME_TIMEOUT)
        await client.send("endsession", "")

    assert (frame.width, frame.height) == (1152, 768)


@pytest.mark.parametrize("end", [None, {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}])
async def test_a_client_on_another_machine_is_told_at_end_of_candidates(
    engine: SandboxServer, end: Any
) -> None:
    engine.config.engine.ice_candidate_wait_seconds = 60  # the end must come from the client
    async with browser_like_client(engine) as client:
        await client.offer()
        for line in ELSEWHERE:
            await client.send(
                "icecandidate", {"candidate": line, "sdpMid": "0", "sdpMLineIndex": 0}
            )
        await client.send("icecandidate", end)
        reason = await ending_reason(client)

    assert "no ICE candidate on this machine" in reason
    assert "--allow-loopback-in-peer-connection" in reason


async def test_a_client_that_never_says_end_of_candidates_is_told_after_a_wait(
    engine: SandboxServer,
) -> None:
    engine.config.engine.ice_candidate_wait_seconds = 1.0
    async with browser_like_client(engine) as client:
        await client.offer()
        await client.send(
            "icecandidate", {"candidate": ELSEWHERE[0], "sdpMid": "0", "sdpMLineIndex": 0}
        )
        reason = await asyncio.wait_for(ending_reason(client), 10)

    assert "no ICE candidate on this machine" in reason


@pytest.mark.parametrize("line", OFF_LOOPBACK + ELSEWHERE)
def test_the_engine_pairs_no_candidate_off_loopback(line: str) -> None:
    assert loopback_candidate({"candidate": line, "sdpMid": "0"}) is None


def test_a_loopback_candidate_keeps_its_media_section() -> None:
    line = "candidate:1966311362 1 udp 2122194687 127.0.0.1 59733 typ host generation 0 ufrag x"
    candidate = loopback_candidate({"candidate": line, "sdpMid": "1", "sdpMLineIndex": 1})
    assert candidate is not None
    assert (candidate.ip, candidate.port, candidate.sdpMid, candidate.sdpMLineIndex) == (
        "127.0.0.1",
        59733,
        "1",
        1,
    )


@pytest.mark.parametrize(
    "payload",
    ["candidate:1 1 udp", {"candidate": "candidate:1 1 udp 1 127.0.0.1 5 typ host"}, {"x": 1}],
    ids=["not an object", "no media section", "no candidate"],
)
def test_a_payload_that_is_not_a_candidate_is_explained(payload: Any) -> None:
    with pytest.raises(ValueError, match="icecandidate payload needs"):
        loopback_candidate(payload)


def test_checks_are_answered_from_this_machine_only() -> None:
    own = aioice.ice.get_host_addresses(True, True)
    own_ipv4 = next(address for address in own if ":" not in address)
    own_candidate = f"candidate:1 1 udp 2122063615 {own_ipv4} 43070 typ host generation 0"
    with loopback_ice():
        answered = [is_this_machine(address) for address in [LOOPBACK, *own]]
        elsewhere = [is_this_machine(address) for address in ("203.0.113.7", "2001:db8::7")]
        local = [is_local_candidate(line) for line in (own_candidate, OFF_LOOPBACK[2])]
        remote = [is_local_candidate(line) for line in ELSEWHERE]

    assert all(answered), dict(zip([LOOPBACK, *own], answered, strict=True))
    assert elsewhere == [False, False]
    assert local == [True, True]  # the machine's own address, and an mDNS name
    assert remote == [False, False, False]
