"""The share link's player page: the project's own small HTML and JavaScript, no third-party code.

The page talks to the sandbox exactly as a browser client of Anam's engine does: it asks
``POST /share/<token>/session`` for a session token (that request counts the link's use), starts
the session with ``POST /v1/engine/session`` and the token, opens the signalling WebSocket, sends
its offer and then trickles each ICE candidate (``icecandidate``), applies the engine's answer and
candidates, sends heartbeats, and plays the persona's video and sound in ``<video id="player">``.
Nothing starts until the visitor presses Start (a link preview fetching the page uses nothing,
and a browser plays sound only after a click).

For tests and people alike: ``#status`` says what is happening in words, and ``<body>``'s
``data-state`` is one of ready, starting, playing, ended, failed or refused.
"""

from __future__ import annotations

import json
from html import escape
from string import Template

_STYLE = """
body { margin: 0; font: 16px/1.4 system-ui, sans-serif; background: #111; color: #eee;
  display: flex; flex-direction: column; align-items: center; justify-content: center;
  min-height: 100vh; gap: 12px; }
h1 { font-size: 20px; margin: 0; }
video { max-width: 100vw; max-height: 80vh; background: #000; }
button { font-size: 16px; padding: 8px 20px; }
#status { min-height: 1.4em; text-align: center; padding: 0 12px; }
body.orb h1, body.orb #status { display: none; }
body.orb video { width: 100vw; height: 100vh; max-height: none; object-fit: cover;
  border-radius: 50%; }
body.orb .controls { position: fixed; bottom: 8px; }
"""

_PAGE = Template("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>$title</title>
<style>$style</style>
</head>
<body data-state="$state" class="$view">
<h1>$heading</h1>
$body
<p id="status" role="status" aria-live="polite">$status</p>
$script
</body>
</html>
""")

_PLAYER = Template("""<video id="player" autoplay playsinline aria-label="$persona"></video>
<div class="controls">
<button id="startButton" type="button">Start</button>
<button id="stopButton" type="button" hidden>Stop</button>
</div>
""")

_SCRIPT = Template("""<script id="shareConfig" type="application/json">$config</script>
<script>
"use strict";
const config = JSON.parse(document.getElementById("shareConfig").textContent);
const video = document.getElementById("player");
const startButton = document.getElementById("startButton");
const stopButton = document.getElementById("stopButton");
const statusLine = document.getElementById("status");
let socket = null, peer = null, heartbeat = null, sessionId = null, ended = false;

function show(state, text) {
  document.body.dataset.state = state;
  statusLine.textContent = text;
}

function send(actionType, payload) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ actionType, sessionId, payload }));
  }
}

function finish(state, text) {
  if (ended) return;
  ended = true;
  clearInterval(heartbeat);
  if (peer) peer.close();
  if (socket) socket.close();
  stopButton.hidden = true;
  if (state !== "refused") {  // each start counts a use: the visitor decides
    startButton.textContent = "Start again";
    startButton.hidden = startButton.disabled = false;
  }
  show(state, text);
}

async function postJson(url, headers, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  let answer = {};
  try { answer = await response.json(); } catch (error) { /* not JSON: say the status */ }
  if (!response.ok) {
    throw Object.assign(new Error(answer.message || `The server answered $${response.status}.`),
      { refused: response.status !== 429 && response.status < 500 && url === config.sessionPath });
  }
  return answer;
}

async function microphone() {
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    return null;  // the persona can still be watched and heard
  }
}

async function start() {
  startButton.disabled = true;
  show("starting", "Starting a session…");
  try {
    const { sessionToken } = await postJson(config.sessionPath, {}, {});
    const session = await postJson("/v1/engine/session",
      { Authorization: `Bearer $${sessionToken}` },
      { clientMetadata: { client: "avatar-studio-share-page" } });
    sessionId = session.sessionId;
    const scheme = session.engineProtocol === "https" ? "wss" : "ws";
    const host = session.engineHost.split("/")[0];
    socket = new WebSocket(`$${scheme}://$${host}$${session.signallingEndpoint}` +
      `?session_id=$${encodeURIComponent(sessionId)}`);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error("The signalling connection failed."));
    });
    socket.onmessage = (event) => receive(JSON.parse(event.data));
    socket.onclose = () => finish("ended", "The session has ended.");
    const seconds = (session.clientConfig || {}).heartbeatIntervalSeconds || 5;
    heartbeat = setInterval(() => send("heartbeat", ""), seconds * 1000);
    await connect((session.clientConfig || {}).iceServers || [], await microphone());
    stopButton.hidden = false;
    startButton.hidden = true;
  } catch (error) {
    finish(error.refused ? "refused" : "failed", error.message);
  }
}

async function connect(iceServers, mic) {
  peer = new RTCPeerConnection({ iceServers });
  peer.createDataChannel("session", { ordered: true });
  peer.addTransceiver("video", { direction: "recvonly" });
  const audio = peer.addTransceiver("audio", { direction: "sendrecv" });
  if (mic) await audio.sender.replaceTrack(mic.getAudioTracks()[0]);
  const stream = new MediaStream();
  video.srcObject = stream;
  peer.ontrack = (event) => {
    stream.addTrack(event.track);
    video.muted = false;
    video.play().catch(() => { video.muted = true; video.play(); });
  };
  const early = [];
  let offerSent = false;
  peer.onicecandidate = (event) => {
    if (!event.candidate) return;
    if (offerSent) send("icecandidate", event.candidate.toJSON());
    else early.push(event.candidate.toJSON());
  };
  peer.onconnectionstatechange = () => {
    if (peer.connectionState === "failed") {
      finish("failed", "The media connection failed.");
    }
  };
  const offer = await peer.createOffer();
  await peer.setLocalDescription(offer);
  send("offer", { connectionDescription: { sdp: offer.sdp, type: "offer" }, userUid: sessionId });
  offerSent = true;
  early.forEach((candidate) => send("icecandidate", candidate));
}

async function receive(message) {
  const action = String(message.actionType || "").toLowerCase();
  const payload = message.payload;
  if (action === "answer") {
    await peer.setRemoteDescription({ type: "answer", sdp: payload.sdp });
  } else if (action === "icecandidate") {
    await peer.addIceCandidate(payload);
  } else if (action === "endsession") {
    finish("ended", `The session has ended: $${payload}`);
  } else if (action === "warning") {
    console.warn(payload);
  }
}

video.addEventListener("playing", () => {
  if (!ended) show("playing", `Talking to $${config.personaName}.`);
});
startButton.addEventListener("click", start);
stopButton.addEventListener("click", () => {
  send("endsession", "");
  finish("ended", "You ended the session.");
});
window.addEventListener("pagehide", () => send("endsession", ""));
</script>
""")


def player_page(persona_name: str, session_path: str, view: str) -> str:
    """The page that starts and plays a session for the link (``view``: "orb" or "")."""
    config = json.dumps({"personaName": persona_name, "sessionPath": session_path})
    script = _SCRIPT.substitute(config=config.replace("</", "<\\/"))
    body = _PLAYER.substitute(persona=escape(persona_name))
    status = "Press Start to talk to the persona."
    return _page(f"Talk to {persona_name}", body, status, "ready", view, script)


def refusal_page(reason: str, view: str = "") -> str:
    """The page a link that cannot start a session shows instead, saying why."""
    return _page("This link cannot start a session", "", reason, "refused", view, "")


def _page(heading: str, body: str, status: str, state: str, view: str, script: str) -> str:
    return _PAGE.substitute(
        title=escape(heading),
        style=_STYLE,
        state=state,
        view="orb" if view == "orb" else "",
        heading=escape(heading),
        body=body,
        status=escape(status),
        script=script,
    )
