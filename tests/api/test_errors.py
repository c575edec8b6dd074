"""Typed errors from real sandbox answers, and client-side checks that stop a request being sent."""

from __future__ import annotations

import httpx
import pytest

from studio.api import (
    AnamClient,
    AnamError,
    AuthError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    ServerError,
    ValidationError,
)
from studio.core.images import MAX_IMAGE_BYTES
from studio.sandbox import Faults
from tests.api.support import CARA, UNKNOWN_ID, remaining_script, unique_name
from tests.images import make_image, make_noise_image


async def test_wrong_key_is_an_auth_error(sandbox):
    async with AnamClient(sandbox.base_url, "not-the-right-key") as wrong:
        with pytest.raises(AuthError) as caught:
            await wrong.list_avatars()
    assert caught.value.status == 401
    assert caught.value.message
    assert caught.value.method == "GET"
    assert "/v1/avatars" in caught.value.url


async def test_gated_model_is_forbidden(client):
    name = unique_name("Gated")
    with pytest.raises(ForbiddenError) as caught:
        await client.create_avatar(name, image=make_image(512, 512), avatar_model="cara-4-latest")
    assert caught.value.status == 403
    assert "cara-4-latest" in caught.value.message
    assert (await client.list_avatars(search=name)).meta.total == 0


async def test_unknown_avatar_is_not_found(client):
    with pytest.raises(NotFoundError) as caught:
        await client.get_avatar(UNKNOWN_ID)
    assert caught.value.status == 404
    assert UNKNOWN_ID in str(caught.value)


async def test_malformed_id_is_a_server_validation_error(client):
    with pytest.raises(ValidationError) as caught:
        await client.get_avatar("not-a-uuid")
    assert caught.value.status == 400


async def test_unknown_model_is_refused_by_the_server(client):
    # The client does not second-guess model names (new ones appear); the server refuses.
    with pytest.raises(ValidationError) as caught:
        await client.create_avatar(unique_name(), image=make_image(400, 400), avatar_model="cara-9")
    assert caught.value.status == 400
    assert "avatarModel" in caught.value.fields


async def test_server_side_rule_with_the_client_checks_bypassed(client):
    # The low-level request() sends exactly what it is given, so the server's own rule answers.
    with pytest.raises(ValidationError) as caught:
        await client.request(
            "POST",
            "/v1/avatars",
            data={"displayName": "ab"},
            files={"imageFile": ("a.png", make_image(400, 400), "image/png")},
        )
    error = caught.value
    assert error.status == 400
    assert error.error  # the server's short error string
    assert "displayName" in error.fields
    assert "3" in error.fields["displayName"] and "50" in error.fields["displayName"]


async def test_undecodable_image_bypassing_the_client_is_unprocessable(client):
    whole = make_image(600, 600, "PNG")
    truncated = whole[: len(whole) // 2]
    with pytest.raises(ValidationError) as caught:
        await client.request(
            "POST",
            "/v1/avatars",
            data={"displayName": unique_name()},
            files={"imageFile": ("broken.png", truncated, "image/png")},
        )
    assert caught.value.status == 422
    assert "imageFile" in caught.value.fields


async def test_per_page_out_of_range_is_a_validation_error(client):
    with pytest.raises(ValidationError) as caught:
        await client.list_avatars(per_page=500)
    assert caught.value.status == 400


async def test_stock_avatar_cannot_be_deleted(client):
    with pytest.raises(ForbiddenError):
        await client.delete_avatar(CARA)
    assert (await client.get_avatar(CARA)).id == CARA


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"display_name": "ab", "image": "png"}, "displayName"),
        ({"display_name": "x" * 51, "image": "png"}, "displayName"),
        ({"display_name": "   ", "image": "png"}, "displayName"),
        ({"display_name": "Fine name", "image": "too_big"}, "imageFile"),
        ({"display_name": "Fine name", "image": "gif"}, "imageFile"),
        ({"display_name": "Fine name", "image": "text"}, "imageFile"),
        ({"display_name": "Fine name", "image": "truncated"}, "imageFile"),
        ({"display_name": "Fine name", "image": "empty"}, "imageFile"),
        ({"display_name": "Fine name"}, "imageFile"),
        ({"display_name": "Fine name", "image": "png", "image_url": "http://x/a.png"}, "imageFile"),
        ({"display_name": "Fine name", "image_url": "ftp://example.com/a.png"}, "imageUrl"),
    ],
)
async def test_create_pre_checks_send_nothing(client, sandbox, kwargs, field):
    images = {
        "png": lambda: make_image(400, 400),
        "too_big": lambda: make_noise_image(MAX_IMAGE_BYTES + 50_000),
        "gif": lambda: make_image(400, 400, "GIF"),
        "text": lambda: b"<html>not an image</html>" * 10,
        "truncated": lambda: _first_half(make_image(600, 600, "PNG")),
        "empty": lambda: b"",
    }
    if "image" in kwargs:
        kwargs["image"] = images[kwargs["image"]]()
    sandbox.faults = Faults(script=["500"])  # any request that reached the sandbox would take it
    with pytest.raises(ValidationError) as caught:
        await client.create_avatar(**kwargs)
    assert caught.value.status is None  # decided client-side
    assert field in caught.value.fields
    assert caught.value.message
    assert remaining_script(sandbox) == ["500"]


def _first_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


async def test_oversized_file_on_disk_is_refused_before_it_is_read(client, sandbox, tmp_path):
    path = tmp_path / "huge.jpg"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: the check must use the size, not the bytes
    sandbox.faults = Faults(script=["500"])
    with pytest.raises(ValidationError) as caught:
        await client.create_avatar("Big file", image=path)
    assert "4.5 MB" in caught.value.fields["imageFile"]
    assert remaining_script(sandbox) == ["500"]


async def test_missing_file_is_a_validation_error(client, tmp_path):
    with pytest.raises(ValidationError) as caught:
        await client.create_avatar("Missing", image=tmp_path / "nope.png")
    assert "nope.png" in caught.value.fields["imageFile"]


async def test_rename_pre_check_sends_nothing(client, sandbox):
    sandbox.faults = Faults(script=["500"])
    with pytest.raises(ValidationError) as caught:
        await client.update_avatar(CARA, "no")
    assert "displayName" in caught.value.fields
    with pytest.raises(ValidationError):
        await client.get_avatar("")  # an empty id would otherwise hit the list endpoint
    assert remaining_script(sandbox) == ["500"]


async def test_unreachable_server_is_a_network_error():
    async with AnamClient("http://127.0.0.1:9", "key", retry=None) as dead:
        with pytest.raises(NetworkError) as caught:
            await dead.list_voices()
    assert caught.value.status is None
    assert caught.value.url and "127.0.0.1:9" in caught.value.url


async def test_gateway_html_error_page_is_parsed_defensively():
    # A gateway in front of the API answers HTML, not JSON (the sandbox cannot produce this).
    page = "<html><head><title>502</title></head><body><h1>Bad Gateway</h1> nginx</body></html>"

    def gateway(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text=page, headers={"Content-Type": "text/html"})

    async with AnamClient(
        "http://api.example", "key", http_transport=httpx.MockTransport(gateway)
    ) as api:
        with pytest.raises(ServerError) as caught:
            await api.create_session_token({"personaId": UNKNOWN_ID})
    assert caught.value.status == 502
    assert "Bad Gateway" in caught.value.message
    assert "<" not in caught.value.message


async def test_json_error_without_message_falls_back_to_error_then_text():
    answers = iter(
        [
            httpx.Response(409, json={"error": "Conflict happened"}),
            httpx.Response(418, text="short and stout"),
        ]
    )

    async with AnamClient(
        "http://api.example", "key", http_transport=httpx.MockTransport(lambda _: next(answers))
    ) as api:
        with pytest.raises(AnamError) as first:
            await api.create_persona({"name": "A"})
        with pytest.raises(AnamError) as second:
            await api.create_persona({"name": "B"})
    assert first.value.message == "Conflict happened"
    assert first.value.status == 409
    assert second.value.message == "short and stout"
