"""Regenerate the README's screenshots: the real window, offscreen, on the embedded sandbox.

Run from the repository root: .venv/bin/python scripts/screenshot.py
Writes docs/avatar-tab.png. The photo is drawn by the sandbox's stock portrait code and trimmed
to 4:3, so the crop view shows both frames and the padding Anam adds above and below.
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "avatar-tab.png"


def sample_photo() -> bytes:
    from studio.sandbox.stock import STOCK_AVATARS, draw_portrait

    portrait = draw_portrait(STOCK_AVATARS[1], side=1600).crop((0, 200, 1600, 1400))
    buffer = io.BytesIO()
    portrait.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


async def capture(workdir: Path) -> None:
    from studio.app import Studio
    from studio.config.paths import StudioPaths

    photo = workdir / "liv-at-home.jpg"
    photo.write_bytes(sample_photo())
    studio = Studio(StudioPaths.resolve(workdir / "config"), environ={})
    studio.window.resize(1400, 880)
    studio.window.show()
    await studio.connect_backend()
    tab = studio.avatar_tab
    tab.name_edit.setText("Liv — front desk")
    studio.open_photo(str(photo))  # as `avatar-studio liv-at-home.jpg` does
    while tab.loader.current is None:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    OUTPUT.parent.mkdir(exist_ok=True)
    studio.window.grab().save(str(OUTPUT))
    await studio.shutdown()


def main() -> None:
    import qasync

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with (
        tempfile.TemporaryDirectory() as workdir,
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner,
    ):
        runner.run(capture(Path(workdir)))
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
