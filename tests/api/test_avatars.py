"""Avatar round trips through AnamClient against the real sandbox: create, read, rename, delete, list."""

from __future__ import annotations

import pytest

from studio.api import Avatar, NotFoundError, Page
from tests.api.support import CARA, LIV, unique_name
from tests.images import make_image


async def test_stock_avatars_are_typed_with_public_model_names(client):
    cara = await client.get_avatar(CARA)
    assert isinstance(cara, Avatar)
    assert cara.id == CARA
    assert cara.display_name == "Cara"
    assert cara.is_stock
    assert {"cara-3", "cara-4"} <= set(cara.available_models)
    assert cara.image_url and cara.image_url.startswith("http")
    assert cara.created_at is not None


async def test_create_from_bytes_then_get_rename_and_delete(client):
    name = unique_name("Bytes")
    created = await client.create_avatar(name, image=make_image(800, 800, "PNG"))
    assert created.display_name == name
    assert not created.is_stock
    assert created.active_model == "cara-4"  # the default model
    assert created.landscape_image_url and created.portrait_image_url

    fetched = await client.get_avatar(created.id)
    assert fetched.id == created.id
    assert fetched.display_name == name

    renamed = await client.update_avatar(created.id, "  Renamed avatar  ")
    assert renamed.display_name == "Renamed avatar"
    assert (await client.get_avatar(created.id)).display_name == "Renamed avatar"

    assert await client.delete_avatar(created.id) is None
    with pytest.raises(NotFoundError):
        await client.get_avatar(created.id)


async def test_create_from_a_path_with_a_misleading_extension(client, tmp_path):
    # The part's Content-Type comes from the content, not the name: a JPEG called .png works.
    path = tmp_path / "portrait.png"
    path.write_bytes(make_image(640, 960, "JPEG"))
    created = await client.create_avatar(unique_name("Path"), image=path, avatar_model="cara-3")
    assert created.available_models == ["cara-3"]
    assert created.active_model == "cara-3"


async def test_create_from_webp_bytes(client):
    created = await client.create_avatar(unique_name("Webp"), image=make_image(512, 512, "WEBP"))
    assert (await client.get_avatar(created.id)).id == created.id


async def test_create_from_an_image_url(client):
    liv = await client.get_avatar(LIV)
    created = await client.create_avatar(unique_name("Url"), image_url=liv.image_url)
    assert created.id != LIV
    assert created.image_url and created.image_url != liv.image_url


async def test_hard_delete_purges_the_avatar(client):
    name = unique_name("Hard")
    created = await client.create_avatar(name, image=make_image(600, 600, "PNG"))
    await client.delete_avatar(created.id, hard=True)
    with pytest.raises(NotFoundError):
        await client.get_avatar(created.id)
    assert (await client.list_avatars(search=name)).meta.total == 0


async def test_pagination_walks_every_avatar_once(client):
    prefix = unique_name("Page")
    made = {
        (await client.create_avatar(f"{prefix} {n}", image=make_image(300, 300))).id
        for n in range(5)
    }
    first = await client.list_avatars(page=1, per_page=2, search=prefix)
    assert isinstance(first, Page)
    assert first.meta.total == 5
    assert first.meta.last_page == 3
    assert first.meta.current_page == 1
    assert first.meta.per_page == 2
    assert first.meta.prev is None
    assert first.meta.next == 2
    seen = [avatar.id for avatar in first.data]
    page = first
    while page.meta.next is not None:
        page = await client.list_avatars(page=page.meta.next, per_page=2, search=prefix)
        seen += [avatar.id for avatar in page.data]
    assert page.meta.current_page == 3
    assert page.meta.prev == 2
    assert len(page.data) == 1
    assert sorted(seen) == sorted(made)


async def test_search_and_one_shot_filter(client):
    name = unique_name("Needle")
    created = await client.create_avatar(name, image=make_image(400, 400))
    found = await client.list_avatars(search=name)
    assert [avatar.id for avatar in found.data] == [created.id]

    one_shot = await client.list_avatars(per_page=100, only_one_shot=True)
    ids = {avatar.id for avatar in one_shot.data}
    assert CARA not in ids
    assert all(not avatar.is_stock for avatar in one_shot.data)
    everything = await client.list_avatars(per_page=100)
    assert CARA in {avatar.id for avatar in everything.data}
