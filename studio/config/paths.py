"""The folders the studio writes to: one --config-dir for everything, or the platform's usual places."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CONFIG_DIR_ENV = "AVATAR_STUDIO_CONFIG_DIR"
APP_NAME = "avatar-studio"


@dataclass(frozen=True)
class StudioPaths:
    """Settings, cache, logs, the embedded sandbox's data and live-session recordings, each a folder.

    ``recordings`` is created when the first recording is written, not at start-up.
    """

    config: Path
    cache: Path
    logs: Path
    sandbox_data: Path
    recordings: Path

    @classmethod
    def resolve(cls, config_dir: str | os.PathLike[str] | None = None) -> StudioPaths:
        """All under ``config_dir`` (or $AVATAR_STUDIO_CONFIG_DIR) when given, else platform dirs."""
        chosen = config_dir or os.environ.get(CONFIG_DIR_ENV)
        if chosen:
            root = Path(chosen).expanduser().resolve()
            paths = cls(root, root / "cache", root / "logs", root / "sandbox", root / "recordings")
        else:
            import platformdirs

            dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
            paths = cls(
                Path(dirs.user_config_dir),
                Path(dirs.user_cache_dir),
                Path(dirs.user_log_dir),
                Path(dirs.user_data_dir) / "sandbox",
                Path(dirs.user_data_dir) / "recordings",
            )
        for folder in (paths.config, paths.cache, paths.logs):
            folder.mkdir(parents=True, exist_ok=True)
        return paths
