"""The per-user cache folder, worked out with ``os.path`` alone.

Kept apart from ``backcare.paths`` (which needs ``pathlib`` and the models) so
that a remembered rendering can be found before anything heavier is imported.
"""

import os
import sys
from collections.abc import Mapping

ENV_CACHE = "BACKCARE_CACHE_DIR"
APP = "backcare"


def user_cache_folder(environ: Mapping[str, str], home: str | None) -> str | None:
    """Where backcare's caches go (``BACKCARE_CACHE_DIR`` overrides), by each platform's rule.

    ``home`` is the home folder; None when there is none, and then so is the
    answer if it depends on one.
    """
    override = environ.get(ENV_CACHE)
    if override:
        return override
    if sys.platform == "win32":
        base = environ.get("LOCALAPPDATA")
        if base:
            return os.path.join(base, APP, "cache")
        return None if home is None else os.path.join(home, "AppData", "Local", APP, "cache")
    xdg = environ.get("XDG_CACHE_HOME")
    if sys.platform != "darwin" and xdg and os.path.isabs(xdg):
        return os.path.join(xdg, APP)
    if home is None:
        return None
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", APP)
    return os.path.join(home, ".cache", APP)
