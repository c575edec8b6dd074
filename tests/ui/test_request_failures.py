"""The fault switch reaches the sandbox inside the window, and the status bar says when requests
fail instead of a green "answering", and recovers when they succeed again."""

from __future__ import annotations

import httpx

from studio.app import Studio
from studio.config.keys import KeyStore
from studio.sandbox import Faults
from studio.sandbox.faults import FAULTS_ENV
from tests.ui.asyncqt import MemoryKeyring, wait_until

GREEN = "color:#2e9d4f"


def status(studio) -> str:
    return studio.window.backend_label.text()


async def test_failing_requests_turn_the_status_from_answering_and_back(studio, sandbox):
    assert GREEN in status(studio) and "answering" in status(studio)
    sandbox.faults = Faults(error=1.0, retry_after=0)
    studio.library_tab.refresh()
    await wait_until(lambda: "requests are failing" in status(studio), timeout=15)
    assert GREEN not in status(studio) and "answering" not in status(studio)
    assert "HTTP 5" in status(studio)
    await studio.bridge.settle()
    sandbox.faults = Faults()
    await wait_until(lambda: "answering" in status(studio), timeout=15)  # by itself: no click
    assert GREEN in status(studio) and "failing" not in status(studio)


async def test_the_embedded_sandbox_honours_the_fault_switch(paths):
    environ = {FAULTS_ENV: "error=1,retry_after=0"}
    studio = Studio(paths, environ=environ, keys=KeyStore(MemoryKeyring()))
    try:
        studio.window.show()
        await studio.connect_backend()
        base_url, key = studio.connection.sandbox_endpoint()
        async with httpx.AsyncClient() as http:
            answer = await http.get(
                f"{base_url}/v1/avatars", headers={"Authorization": f"Bearer {key}"}
            )
        assert answer.status_code >= 500
        assert GREEN not in status(studio) and "answering" not in status(studio)
        await studio.bridge.settle()
    finally:
        await studio.shutdown()
        studio.window.close()


async def test_a_bad_fault_switch_says_so_instead_of_starting(paths):
    studio = Studio(paths, environ={FAULTS_ENV: "eror=0.5"}, keys=KeyStore(MemoryKeyring()))
    try:
        await studio.connect_backend()
        assert f"{FAULTS_ENV}='eror=0.5' is not a fault setting" in status(studio)
    finally:
        await studio.shutdown()
        studio.window.close()
