"""Stock avatars, voices and LLMs, so Anam's documented examples run offline unchanged.

Stock portraits are drawn here with Pillow (stylised, not photos): nothing is downloaded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

from studio.core.crop import SOURCE_SIDE

STOCK_CREATED_AT = "2026-04-20T10:00:00.000Z"
_NAMESPACE = uuid.UUID("5f0c8a52-3f3c-4b8e-9d0e-6a1f2f7c1a00")


@dataclass(frozen=True)
class StockAvatar:
    """A stock avatar's identity and the colours its portrait is drawn with."""

    id: str
    display_name: str
    variant_name: str
    description: str
    tags: tuple[str, ...]
    background: tuple[str, str]
    skin: str
    hair: str
    clothing: str
    has_video: bool = True


def _stock_id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


STOCK_AVATARS = (
    StockAvatar(
        "30fa96d0-26c4-4e55-94a0-517025942e18",
        "Cara",
        "desk",
        "A friendly presenter at a bright desk, dark shoulder-length hair.",
        ("professional", "presenter"),
        ("#dfe9f3", "#9fb8d0"),
        "#e0b08f",
        "#3b2a20",
        "#2f4f6f",
    ),
    StockAvatar(
        "071b0286-4cce-4808-bee2-e642f1062de3",
        "Liv",
        "home",
        "A relaxed host at home with warm light and blonde hair.",
        ("casual", "home"),
        ("#f6e7d8", "#d9b99b"),
        "#f1c7a8",
        "#d8b25a",
        "#8a4f3d",
    ),
    StockAvatar(
        _stock_id("Kofi"),
        "Kofi",
        "studio",
        "A calm narrator against a studio grey backdrop.",
        ("professional", "narrator"),
        ("#e6e6e6", "#8f959c"),
        "#8d5a3b",
        "#1d1613",
        "#3e5a3a",
    ),
    StockAvatar(
        _stock_id("Mei"),
        "Mei",
        "office",
        "An upbeat support agent in a modern office.",
        ("support", "office"),
        ("#e8f4ee", "#a6cdb8"),
        "#edc9a5",
        "#15110f",
        "#b0413e",
    ),
    StockAvatar(
        _stock_id("Astrid"),
        "Astrid",
        "outdoor",
        "A trainer outdoors in soft daylight, red hair.",
        ("training", "outdoor"),
        ("#eaf2fb", "#b7cfa0"),
        "#f3d0b8",
        "#a5462a",
        "#44546a",
    ),
    StockAvatar(
        _stock_id("Omar"),
        "Omar",
        "library",
        "A thoughtful tutor in a quiet library.",
        ("education", "tutor"),
        ("#efe4d2", "#a3825e"),
        "#b88560",
        "#2a211c",
        "#5b4a7a",
        has_video=False,  # one stock avatar without a preview, as on Anam while one is generating
    ),
)


def draw_portrait(avatar: StockAvatar, side: int = SOURCE_SIDE) -> Image.Image:
    """A stylised waist-up portrait, face centred as Anam's framing guidance asks."""
    gradient = Image.linear_gradient("L").resize((side, side))
    image = Image.composite(
        Image.new("RGB", (side, side), avatar.background[1]),
        Image.new("RGB", (side, side), avatar.background[0]),
        gradient,
    )
    draw = ImageDraw.Draw(image, "RGBA")

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return round(x0 * side), round(y0 * side), round(x1 * side), round(y1 * side)

    draw.ellipse(box(0.18, 0.70, 0.82, 1.30), fill=avatar.clothing)  # shoulders
    draw.rectangle(box(0.45, 0.55, 0.55, 0.74), fill=avatar.skin)  # neck
    draw.ellipse(box(0.33, 0.17, 0.67, 0.53), fill=avatar.hair)  # back of the hair
    draw.ellipse(box(0.36, 0.23, 0.64, 0.62), fill=avatar.skin)  # face
    draw.chord(box(0.35, 0.18, 0.65, 0.42), 180, 360, fill=avatar.hair)  # fringe
    for eye_x in (0.445, 0.555):
        draw.ellipse(box(eye_x - 0.022, 0.405, eye_x + 0.022, 0.43), fill="white")
        draw.ellipse(box(eye_x - 0.011, 0.407, eye_x + 0.011, 0.428), fill="#2b2b2b")
        draw.line(box(eye_x - 0.03, 0.385, eye_x + 0.03, 0.38), fill=avatar.hair, width=side // 150)
    draw.line(box(0.5, 0.44, 0.49, 0.5), fill="#00000040", width=side // 300)  # nose
    draw.arc(box(0.455, 0.49, 0.545, 0.54), 20, 160, fill="#9c4a4a", width=side // 160)  # smile
    return image.filter(ImageFilter.SMOOTH)


@dataclass(frozen=True)
class StockVoice:
    id: str
    display_name: str
    provider: str
    gender: str
    country: str
    description: str


STOCK_VOICES = (
    StockVoice(
        "6bfbe25a-979d-40f3-a92b-5394170af54b",
        "Cara",
        "CARTESIA",
        "FEMALE",
        "GB",
        "Warm, clear British English.",
    ),
    StockVoice(
        _stock_id("voice-liv"),
        "Liv",
        "ELEVENLABS",
        "FEMALE",
        "US",
        "Bright, casual American English.",
    ),
    StockVoice(
        _stock_id("voice-kofi"), "Kofi", "CARTESIA", "MALE", "GH", "Calm, measured narrator."
    ),
    StockVoice(
        _stock_id("voice-sam"),
        "Sam",
        "FISH_AUDIO",
        "NEUTRAL",
        "AU",
        "Even, friendly support voice.",
    ),
)


@dataclass(frozen=True)
class StockLlm:
    id: str
    display_name: str
    llm_format: str
    model_name: str
    description: str


STOCK_LLMS = (
    StockLlm(
        "0934d97d-0c3a-4f33-91b0-5e136a0ef466",
        "Anam default (balanced)",
        "openai",
        "gpt-4.1-mini",
        "Anam's default conversational model.",
    ),
    StockLlm(
        "7736a22f-2d79-4720-952c-25fdca55ad40",
        "Anam fast (low latency)",
        "groq_openai",
        "llama-3.3-70b",
        "Faster replies, lighter reasoning.",
    ),
)

CLIENT_SIDE_LLM = "CUSTOMER_CLIENT_V1"
"""The llmId that turns Anam's LLM off (the client answers the user); valid wherever an llmId is."""
