"""studio.core.snippets: curl, JavaScript and Python that mint the same token, and hold no secret."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import jwt
import pytest

from studio.core.session_tokens import looks_like_jwt
from studio.core.snippets import browser_snippet, curl_snippet, javascript_snippet, python_snippet
from tests.api.support import CARA, LLM_A, VOICE

BASE = "https://api.anam.ai"
KEY_SENTINEL = "sk-sentinel-key-never-in-a-snippet"

TRICKY = {
    "personaConfig": {
        "name": 'O\'Brien "the" `great`',
        "avatarId": CARA,
        "systemPrompt": (
            "Costs $5 or ${HOME} or $(rm -rf /) — say 'hi'!\n\tNew line, back\\slash, "
            "${process.env.ANAM_API_KEY}, </script>, \u2028 and \u2029, Zoë, 日本"
        ),
        "skipGreeting": False,
        "maxSessionLengthSeconds": 600,
        "directorNotes": {"presetStyle": "warm", "expressivity": 0.25},
        "tools": [],
        "initialMessage": None,
    },
    "sessionOptions": {"videoWidth": 1152, "videoHeight": 768, "videoQuality": "high"},
    "clientLabel": "demo",
}
SNIPPETS = (curl_snippet, javascript_snippet, python_snippet)
needs_sh = pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


def sandbox_body() -> dict:
    return {
        "personaConfig": {
            "name": 'Cara\'s "demo" $HOME',
            "avatarId": CARA,
            "voiceId": VOICE,
            "llmId": LLM_A,
            "systemPrompt": "Say `hello` — it's $0!",
        },
        "sessionOptions": {"videoWidth": 768, "videoHeight": 1152},
        "clientLabel": "snippet-test",
    }


def shell_words(snippet: str) -> list[str]:
    """The arguments a POSIX shell passes to curl for this snippet (curl replaced by printf)."""
    script = "curl() { printf '%s\\0' \"$@\"; }\n" + snippet
    result = subprocess.run(
        ["sh", "-c", script],
        capture_output=True,
        check=True,
        env={**os.environ, "ANAM_API_KEY": KEY_SENTINEL, "HOME": "/should/not/expand"},
    )
    return result.stdout.decode().split("\0")[:-1]


@needs_sh
def test_curl_body_survives_the_shell_exactly():
    words = shell_words(curl_snippet(BASE, TRICKY))
    assert words[:4] == ["-sS", "-X", "POST", "https://api.anam.ai/v1/auth/session-token"]
    assert f"Authorization: Bearer {KEY_SENTINEL}" in words  # the shell fills in the key
    assert json.loads(words[words.index("-d") + 1]) == TRICKY


def test_curl_reads_the_key_from_the_environment():
    snippet = curl_snippet(BASE + "/", TRICKY)
    assert '-H "Authorization: Bearer $ANAM_API_KEY"' in snippet
    assert "'https://api.anam.ai/v1/auth/session-token'" in snippet


@needs_sh
def test_curl_snippet_mints_a_token_from_the_sandbox(sandbox):
    if shutil.which("curl") is None:
        pytest.skip("needs curl")
    result = subprocess.run(
        ["sh", "-c", curl_snippet(sandbox.base_url, sandbox_body())],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "ANAM_API_KEY": sandbox.api_key},
    )
    token = json.loads(result.stdout)["sessionToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["personaConfig"]["name"] == 'Cara\'s "demo" $HOME'
    assert claims["clientLabel"] == "snippet-test"


def test_python_snippet_compiles_and_holds_the_body():
    snippet = python_snippet(BASE, TRICKY)
    namespace: dict = {}
    exec(compile(snippet, "snippet.py", "exec"), namespace)
    assert namespace["SESSION_REQUEST"] == TRICKY
    assert namespace["ANAM_API_URL"] == BASE
    assert "os.environ['ANAM_API_KEY']" in snippet
    assert "import httpx" in snippet


def test_python_snippet_mints_a_token_from_the_sandbox(sandbox, monkeypatch):
    monkeypatch.setenv("ANAM_API_KEY", sandbox.api_key)
    namespace: dict = {}
    exec(compile(python_snippet(sandbox.base_url, sandbox_body()), "snippet.py", "exec"), namespace)
    token = namespace["create_session_token"]()
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["sessionOptions"]["videoWidth"], claims["sessionOptions"]["videoHeight"]) == (
        768,
        1152,
    )


def test_javascript_snippet_has_the_server_route_and_the_browser_side():
    snippet = javascript_snippet(BASE, TRICKY)
    assert "fetch(`${ANAM_API_URL}/v1/auth/session-token`" in snippet
    assert "Bearer ${process.env.ANAM_API_KEY}" in snippet
    assert "res.json({ sessionToken })" in snippet
    assert 'import { AnamEvent, createClient } from "@anam-ai/js-sdk";' in snippet
    assert (
        'const client = createClient(sessionToken, { api: { baseUrl: "https://api.anam.ai" } });'
        in snippet
    )
    assert 'await client.streamToVideoElement("persona-video");' in snippet
    assert 'const ANAM_API_URL = "https://api.anam.ai";' in snippet
    body = snippet.split("const SESSION_REQUEST = ", 1)[1].split(";\n\nconst app", 1)[0]
    assert json.loads(body) == TRICKY
    assert snippet.endswith(browser_snippet(BASE))  # the page tests/browser runs in Chromium


@needs_node
def test_javascript_snippet_parses_and_its_body_evaluates_to_the_same_json(tmp_path):
    snippet = javascript_snippet(BASE, TRICKY)
    module = tmp_path / "snippet.mjs"
    module.write_text(snippet, encoding="utf-8")
    subprocess.run(["node", "--check", str(module)], check=True, capture_output=True)
    literal = snippet.split("const SESSION_REQUEST = ", 1)[1].split(";\n\nconst app", 1)[0]
    script = tmp_path / "body.mjs"
    script.write_text(f"process.stdout.write(JSON.stringify({literal}));", encoding="utf-8")
    result = subprocess.run(["node", str(script)], check=True, capture_output=True)
    assert json.loads(result.stdout.decode()) == TRICKY


@pytest.mark.parametrize("make", SNIPPETS)
def test_no_snippet_holds_a_key_or_a_token(make, sandbox):
    snippet = make(sandbox.base_url, TRICKY)
    assert sandbox.api_key not in snippet
    assert KEY_SENTINEL not in snippet
    assert not looks_like_jwt(snippet)
    assert "ANAM_API_KEY" in snippet  # the key is read where the snippet runs


@pytest.mark.parametrize("make", SNIPPETS)
def test_snippets_take_neither_key_nor_token(make):
    with pytest.raises(TypeError):
        make(BASE, TRICKY, KEY_SENTINEL)  # type: ignore[call-arg]


@pytest.mark.parametrize("make", SNIPPETS)
def test_bad_inputs_are_refused(make):
    with pytest.raises(ValueError, match="base URL"):
        make("  ", TRICKY)
    with pytest.raises(ValueError):
        make(BASE, {"personaConfig": {"x": float("nan")}})


@pytest.mark.parametrize("make", SNIPPETS)
def test_trailing_slashes_do_not_double_up(make):
    assert "api.anam.ai//" not in make(BASE + "//", TRICKY)
