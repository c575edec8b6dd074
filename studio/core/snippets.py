"""Ready-to-paste code that mints the same session token, for handing to a web developer.

Each snippet is built from the exact request the studio sent (a SessionRequest or its body) and
the backend's base URL, and reads the API key from the environment (``$ANAM_API_KEY``) at run
time. The functions take no key and no token, so no snippet can contain either. The body is
embedded as a literal of the target language, escaped for it (shell single quotes, JavaScript
and Python literals). The curl command and the Python script, run as copied, print a token.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from studio.core.session_request import SessionRequest

TOKEN_PATH = "/v1/auth/session-token"
API_KEY_ENV = "ANAM_API_KEY"
VIDEO_ELEMENT_ID = "persona-video"
LOOPBACK_BROWSER_FLAG = "--allow-loopback-in-peer-connection"
"""What makes Chrome and Chromium offer a 127.0.0.1 ICE candidate; a local sandbox needs it only
where a browser's connectivity checks cannot come from the machine's own address."""
Request = SessionRequest | Mapping[str, Any]


def curl_snippet(base_url: str, request: Request) -> str:
    """A curl command for a terminal (POSIX shell), the key taken from ``$ANAM_API_KEY``."""
    body = _body(request)
    return (
        f"curl -sS -X POST {_shell_quote(_endpoint(base_url))} \\\n"
        f'  -H "Authorization: Bearer ${API_KEY_ENV}" \\\n'
        "  -H 'Content-Type: application/json' \\\n"
        f"  -d {_shell_quote(_json(body))}\n"
    )


def javascript_snippet(base_url: str, request: Request) -> str:
    """A Node/Express route that mints the token server-side, and the browser code that uses it."""
    body_literal = _json(_body(request)).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"""\
// server.js — runs on your server (Node 18+), so the API key never reaches the browser.
import express from "express";

const ANAM_API_URL = {_json(_base(base_url))};
const SESSION_REQUEST = {body_literal};

const app = express();

app.post("/api/session-token", async (req, res) => {{
  const response = await fetch(`${{ANAM_API_URL}}{TOKEN_PATH}`, {{
    method: "POST",
    headers: {{
      "Content-Type": "application/json",
      Authorization: `Bearer ${{process.env.{API_KEY_ENV}}}`,
    }},
    body: JSON.stringify(SESSION_REQUEST),
  }});
  if (!response.ok) {{
    res.status(response.status).json({{ error: await response.text() }});
    return;
  }}
  const {{ sessionToken }} = await response.json();
  res.json({{ sessionToken }});
}});

app.listen(3000);

{browser_snippet(base_url)}"""


def browser_snippet(base_url: str) -> str:
    """The browser half of the JavaScript snippet: a page module that fetches the token from its
    server's route and streams the session with Anam's JavaScript SDK from ``base_url`` (the SDK
    would call Anam's cloud otherwise), logging why a session closes (the server says why it ended
    one). tests/browser runs it in Chromium."""
    return f"""\
// browser.js — a module in your page, next to <video id="{VIDEO_ELEMENT_ID}" autoplay playsinline></video>
import {{ AnamEvent, createClient }} from "@anam-ai/js-sdk";

const {{ sessionToken }} = await fetch("/api/session-token", {{ method: "POST" }}).then((r) => r.json());
const client = createClient(sessionToken, {{ api: {{ baseUrl: {_json(_base(base_url))} }} }});
client.addListener(AnamEvent.CONNECTION_CLOSED, (code, reason) =>
  console.warn("Anam session closed:", code, reason ?? ""),
);
await client.streamToVideoElement("{VIDEO_ELEMENT_ID}");
"""


def python_snippet(base_url: str, request: Request) -> str:
    """A Python script using httpx, the key taken from ``os.environ["ANAM_API_KEY"]``."""
    return f"""\
# Mint an Anam session token on your server; hand only the token to the browser.
import os

import httpx

ANAM_API_URL = {_json(_base(base_url))}
SESSION_REQUEST = {_python_literal(dict(_body(request)), 0)}


def create_session_token() -> str:
    # Return the token to the browser, which calls createClient(sessionToken) with it.
    response = httpx.post(
        f"{{ANAM_API_URL}}{TOKEN_PATH}",
        headers={{"Authorization": f"Bearer {{os.environ['{API_KEY_ENV}']}}"}},
        json=SESSION_REQUEST,
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["sessionToken"]


if __name__ == "__main__":  # run as a script: print a token, to check the set-up
    print(create_session_token())
"""


def _body(request: Request) -> Mapping[str, Any]:
    return request.to_body() if isinstance(request, SessionRequest) else request


def _base(base_url: str) -> str:
    base = base_url.strip().rstrip("/")
    if not base:
        raise ValueError("A base URL is needed, such as https://api.anam.ai.")
    return base


def _endpoint(base_url: str) -> str:
    return _base(base_url) + TOKEN_PATH


def _json(value: Any) -> str:
    """Pretty JSON; NaN and infinities are refused (no JSON parser would take them)."""
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def _shell_quote(text: str) -> str:
    """One POSIX shell word, single-quoted: nothing inside is expanded ($, `, \\, !, quotes)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _python_literal(value: Any, depth: int) -> str:
    """A Python expression for a JSON value, indented like the JSON (4 spaces a level)."""
    pad, inner = "    " * depth, "    " * (depth + 1)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = (
            f"{inner}{_json(str(k))}: {_python_literal(v, depth + 1)}," for k, v in value.items()
        )
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = (f"{inner}{_python_literal(v, depth + 1)}," for v in value)
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be sent as JSON.")
    if isinstance(value, str):
        return _json(value)  # a JSON string is a valid Python string literal, double-quoted
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    raise TypeError(f"{type(value).__name__} is not a JSON value.")
