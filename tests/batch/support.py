"""Batches for tests: folders of generated portraits, a client on the sandbox, and counting
what the sandbox holds."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from PIL import Image

from studio.api import AnamClient
from tests.images import make_portrait

FIRST_NAMES = ["Maria", "Li", "Ana", "Omar", "Eva", "Ivan", "Zoe", "Kai", "Noor", "Leo"]


def portrait_folder(folder: Path, count: int, side: int = 480) -> list[str]:
    """``count`` well-framed portraits named first_last.jpg; their display names, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    data = make_portrait(side, "JPEG", quality=85)
    names = []
    for index in range(count):
        stem = f"{FIRST_NAMES[index % 10].lower()}_staff{index:02d}"
        (folder / f"{stem}.jpg").write_bytes(data)
        names.append(f"{FIRST_NAMES[index % 10]} Staff{index:02d}")
    return sorted(names, key=str.casefold)


def faceless_photo(side: int = 480) -> bytes:
    """A plain picture (no face): the checks warn, they do not refuse."""
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), "#88aacc").save(buffer, "JPEG")
    return buffer.getvalue()


async def own_avatar_names(client: AnamClient) -> Counter[str]:
    """How many own avatars the sandbox holds under each display name."""
    names: Counter[str] = Counter()
    page = 1
    while True:
        answer = await client.list_avatars(page=page, per_page=100, only_one_shot=True)
        names.update(avatar.display_name for avatar in answer.data if not avatar.is_stock)
        if page >= answer.meta.last_page or not answer.data:
            return names
        page += 1
