"""/v1/avatars against Anam's rules and schemas: create, list, search, page, get, rename, delete."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from studio.core.images import MAX_IMAGE_BYTES
from tests.images import make_image, make_noise_image
from tests.openapi import assert_matches_spec
from tests.sandbox.conftest import CARA, LIV, UNKNOWN, http_client, upload


def fetch_image(http: httpx.Client, url: str) -> Image.Image:
    response = http.get(url)
    assert response.status_code == 200, response.text
    return Image.open(io.BytesIO(response.content))


def test_stock_avatars_from_the_docs_are_listed_and_match_the_spec(http):
    response = http.get("/v1/avatars", params={"perPage": 100})
    body = assert_matches_spec(response, "/v1/avatars")
    by_id = {avatar["id"]: avatar for avatar in body["data"]}
    assert by_id[CARA]["displayName"] == "Cara"
    assert by_id[LIV]["displayName"] == "Liv"
    for stock in (by_id[CARA], by_id[LIV]):
        assert stock["createdByOrganizationId"] is None
        assert {"cara-3", "cara-4"} <= set(stock["availableVersions"])


def test_create_from_upload_makes_centred_cara_4_frames(http):
    response = upload(http, make_image(1200, 1200), "Designer test", model="cara-4")
    assert response.status_code == 201, response.text
    avatar = assert_matches_spec(response, "/v1/avatars", "post")
    assert avatar["displayName"] == "Designer test"
    assert avatar["availableVersions"] == ["cara-4"] and avatar["activeVersion"] == "cara-4"
    assert avatar["createdByOrganizationId"]
    source = fetch_image(http, avatar["imageUrl"]).convert("RGB")
    landscape = fetch_image(http, avatar["landscapeImageUrl"]).convert("RGB")
    portrait = fetch_image(http, avatar["portraitImageUrl"]).convert("RGB")
    assert source.size == (1152, 1152)
    assert landscape.size == (1152, 768) and portrait.size == (768, 1152)
    # Centred crops: the frame's corners are the source's pixels at the crop box corners.
    assert _close(landscape.getpixel((5, 5)), source.getpixel((5, 197)))
    assert _close(portrait.getpixel((762, 1146)), source.getpixel((954, 1146)))


def test_cara_3_avatar_has_720x480_frame_and_no_portrait(http):
    avatar = upload(http, make_image(900, 900, "JPEG"), "Cara three", "cara-3", "image/jpeg").json()
    assert avatar["portraitImageUrl"] is None
    assert fetch_image(http, avatar["landscapeImageUrl"]).size == (720, 480)
    assert avatar["availableVersions"] == ["cara-3"]


def test_non_square_upload_is_trimmed_then_padded_to_a_square(http):
    # 3:2 landscape: the landscape frame is the whole upload; red top-left quadrant stays in the corner.
    avatar = upload(http, make_image(1500, 1000), "Wide photo").json()
    landscape = fetch_image(http, avatar["landscapeImageUrl"]).convert("RGB")
    assert _close(landscape.getpixel((10, 10)), (0xCC, 0x33, 0x33))
    assert _close(landscape.getpixel((1140, 760)), (0x33, 0xCC, 0x66))


def test_create_from_image_url_downloads_it(http, sandbox):
    stock_image = http.get(f"/v1/avatars/{LIV}").json()["imageUrl"]
    response = http.post("/v1/avatars", json={"displayName": "From a URL", "imageUrl": stock_image})
    assert response.status_code == 201, response.text
    assert_matches_spec(response, "/v1/avatars", "post")


def test_image_url_that_is_not_an_image_is_refused(http, sandbox):
    response = http.post(
        "/v1/avatars", json={"displayName": "Html page", "imageUrl": f"{sandbox.base_url}/health"}
    )
    assert response.status_code == 400
    assert "not a JPEG, PNG or WebP" in response.json()["message"]


def test_unreachable_or_malformed_image_urls_are_clear_400s(http):
    for url, words in (
        ("http://127.0.0.1:9/x.png", "nothing answers"),
        ("http://[::1/x.png", "not a valid URL"),
        ("file:///etc/hostname", "http or https"),
    ):
        response = http.post("/v1/avatars", json={"displayName": "Nowhere", "imageUrl": url})
        assert response.status_code == 400, url
        assert words in response.json()["message"]


def test_display_name_must_be_3_to_50_characters(http):
    for name, status in (("ab", 400), ("x" * 51, 400), ("abc", 201), ("y" * 50, 201)):
        response = upload(http, make_image(300, 300), name)
        assert response.status_code == status, (name, response.text)
        if status == 400:
            body = response.json()
            assert "3-50 characters" in body["message"]
            assert body["details"][0]["path"] == "displayName"


def test_exactly_one_of_file_or_url(http, sandbox):
    both = http.post(
        "/v1/avatars",
        data={"displayName": "Both given", "imageUrl": f"{sandbox.base_url}/x.png"},
        files={"imageFile": ("a.png", make_image(300, 300), "image/png")},
    )
    neither = http.post(
        "/v1/avatars", data={"displayName": "Neither given"}, files={"x": ("", b"")}
    )
    for response in (both, neither):
        assert response.status_code == 400
        assert "not both" in response.json()["message"]


def test_images_are_checked_by_content_size_and_pixels(http):
    gif = make_image(300, 300, "GIF")
    whole = make_image(800, 800, "PNG")
    truncated = whole[: len(whole) // 2]
    bomb = _png_header_claiming(30_000, 30_000)
    too_big = make_noise_image(MAX_IMAGE_BYTES + 200_000)[: MAX_IMAGE_BYTES + 100_000]
    cases = [
        (gif, 400, "not a JPEG, PNG or WebP"),
        (b"hello, I am text", 400, "not a JPEG, PNG or WebP"),
        (truncated, 422, "could not be decoded"),
        (bomb, 422, "too many pixels"),
        (too_big, 400, "limit is 4.5 MB"),
        (make_image(100, 100), 422, "at least 256x256"),
    ]
    for data, status, words in cases:
        response = upload(http, data, "Checked image")
        assert response.status_code == status, (words, response.text)
        assert words in response.json()["message"]
    names = {
        a["displayName"] for a in http.get("/v1/avatars", params={"perPage": 100}).json()["data"]
    }
    assert "Checked image" not in names  # nothing half-created


def test_webp_and_jpeg_named_wrongly_are_accepted_by_content(http):
    webp = upload(http, make_image(400, 400, "WEBP"), "Webp photo", mime="image/png")
    jpeg = upload(http, make_image(400, 400, "JPEG"), "Jpeg photo", mime="image/png")
    assert (webp.status_code, jpeg.status_code) == (201, 201)


def test_unknown_model_is_400_and_gated_model_403(http):
    unknown = upload(http, make_image(300, 300), "Unknown model", "cara-9")
    assert unknown.status_code == 400 and "cara-9" in unknown.json()["message"]
    gated = upload(http, make_image(300, 300), "Gated model", "cara-4-latest")
    assert gated.status_code == 403 and "gated" in gated.json()["message"]


def test_gated_model_works_when_the_sandbox_grants_it(start_sandbox):
    server = start_sandbox(gated_models=["cara-4-latest"])
    with http_client(server) as http:
        response = upload(http, make_image(300, 300), "Latest model", "cara-4-latest")
        assert response.status_code == 201
        assert response.json()["availableVersions"] == ["cara-4-latest"]
        stock = http.get(f"/v1/avatars/{CARA}").json()
        assert "cara-4-latest" in stock["availableVersions"]


def test_list_pagination_meta(fresh_sandbox):
    with http_client(fresh_sandbox) as http:
        first = assert_matches_spec(http.get("/v1/avatars", params={"perPage": 4}), "/v1/avatars")
        total = first["meta"]["total"]
        assert total >= 6
        assert first["meta"] == {
            "total": total,
            "lastPage": -(-total // 4),
            "currentPage": 1,
            "perPage": 4,
            "prev": None,
            "next": 2,
        }
        second = http.get("/v1/avatars", params={"perPage": 4, "page": 2}).json()
        assert second["meta"]["prev"] == 1
        seen = [a["id"] for a in first["data"]] + [a["id"] for a in second["data"]]
        assert len(set(seen)) == len(seen) == min(total, 8)
        for bad in ({"perPage": 0}, {"perPage": 101}, {"page": 0}, {"page": "x"}):
            response = http.get("/v1/avatars", params=bad)
            assert response.status_code == 400
            assert response.json()["details"]


def test_search_and_only_one_shot(http):
    upload(http, make_image(300, 300), "Zebra Unique Name")
    found = http.get("/v1/avatars", params={"search": "zebra unique"}).json()
    assert [a["displayName"] for a in found["data"]] == ["Zebra Unique Name"]
    by_description = http.get("/v1/avatars", params={"search": "blonde"}).json()["data"]
    assert [a["id"] for a in by_description] == [LIV]
    own = http.get("/v1/avatars", params={"onlyOneShot": "true", "perPage": 100}).json()["data"]
    assert own and all(a["createdByOrganizationId"] for a in own)
    wildcard = http.get("/v1/avatars", params={"search": "%"}).json()
    assert wildcard["meta"]["total"] == 0


def test_get_rename_and_errors(http):
    avatar = upload(http, make_image(300, 300), "Before rename").json()
    got = assert_matches_spec(http.get(f"/v1/avatars/{avatar['id']}"), "/v1/avatars/{id}")
    assert got["displayName"] == "Before rename"
    renamed = http.put(f"/v1/avatars/{avatar['id']}", json={"displayName": "After rename"})
    assert assert_matches_spec(renamed, "/v1/avatars/{id}")["displayName"] == "After rename"
    assert http.put(f"/v1/avatars/{avatar['id']}", json={"displayName": "no"}).status_code == 400
    extra = http.put(f"/v1/avatars/{avatar['id']}", json={"displayName": "Fine", "imageUrl": "x"})
    assert extra.status_code == 400 and "Only displayName" in extra.json()["message"]
    assert http.get(f"/v1/avatars/{UNKNOWN}").status_code == 404
    assert http.get("/v1/avatars/not-a-uuid").status_code == 400
    assert http.put(f"/v1/avatars/{CARA}", json={"displayName": "Mine now"}).status_code == 403


def test_soft_delete_hides_and_hard_delete_purges(http, sandbox):
    soft = upload(http, make_image(300, 300), "Soft deleted").json()
    hard = upload(http, make_image(300, 300), "Hard deleted").json()
    response = http.delete(f"/v1/avatars/{soft['id']}")
    assert assert_matches_spec(response, "/v1/avatars/{id}")["message"]
    assert http.get(f"/v1/avatars/{soft['id']}").status_code == 404
    folder = sandbox.sandbox.store.avatar_dir(soft["id"])
    assert folder.exists()  # soft: restorable, files kept
    assert http.delete(f"/v1/avatars/{hard['id']}", params={"hard": "true"}).status_code == 200
    assert not sandbox.sandbox.store.avatar_dir(hard["id"]).exists()
    assert not folder.exists()  # hard delete also purges earlier soft deletes
    assert http.delete(f"/v1/avatars/{hard['id']}").status_code == 404
    assert http.delete(f"/v1/avatars/{CARA}").status_code == 403


def test_every_v1_route_needs_the_api_key(sandbox):
    routes = [
        ("GET", "/v1/avatars"),
        ("POST", "/v1/avatars"),
        ("GET", f"/v1/avatars/{CARA}"),
        ("PUT", f"/v1/avatars/{CARA}"),
        ("DELETE", f"/v1/avatars/{CARA}"),
        ("GET", "/v1/voices"),
        ("GET", "/v1/llms"),
        ("GET", "/v1/personas"),
        ("POST", "/v1/personas"),
        ("GET", f"/v1/personas/{UNKNOWN}"),
        ("POST", "/v1/auth/session-token"),
    ]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": sandbox.api_key}):
        for method, path in routes:
            response = httpx.request(method, sandbox.base_url + path, headers=headers)
            assert response.status_code == 401, (method, path)
            assert set(response.json()) >= {"error", "message"}


def _close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(actual, expected, strict=True))


def _png_header_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims a huge size: a decompression bomb."""
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat_data = zlib.compress(b"\0" * 1000)
    idat = struct.pack(">I", len(idat_data)) + b"IDAT" + idat_data
    idat += struct.pack(">I", zlib.crc32(b"IDAT" + idat_data))
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat


def test_a_page_far_past_the_end_is_empty_not_a_server_error(http):
    """Found by the fuzzer: a page number past SQLite's integers answered 500."""
    for page in (10**6, 19436709340655864718741315421995008):
        answer = assert_matches_spec(http.get("/v1/avatars", params={"page": page}), "/v1/avatars")
        assert answer["data"] == [] and answer["meta"]["currentPage"] == page
