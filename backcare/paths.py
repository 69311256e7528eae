"""Where content lives: the built-in folder, the user's folder, and extra layers."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from backcare.models import Layer

ENV_CONTENT = "BACKCARE_CONTENT"
ENV_CACHE = "BACKCARE_CACHE_DIR"
APP = "backcare"


def builtin_content_dir() -> Path:
    """The content shipped with backcare.

    A wheel carries it inside the package as ``_content``; a source checkout or
    an editable install has it beside the package, as ``content/``.
    """
    package = Path(__file__).resolve().parent
    bundled = package / "_content"
    return bundled if bundled.is_dir() else package.parent / "content"


def user_data_dir(environ: Mapping[str, str]) -> Path:
    """The per-user data folder, by each platform's convention."""
    home = Path(environ.get("HOME") or Path.home())
    if sys.platform == "win32":
        base = environ.get("APPDATA")
        return Path(base) / APP if base else home / "AppData" / "Roaming" / APP
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP
    xdg = environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg and os.path.isabs(xdg) else home / ".local" / "share") / APP


def user_cache_dir(environ: Mapping[str, str]) -> Path:
    """Where the parsed-content cache goes (``BACKCARE_CACHE_DIR`` overrides)."""
    override = environ.get(ENV_CACHE)
    if override:
        return Path(override)
    home = Path(environ.get("HOME") or Path.home())
    if sys.platform == "win32":
        base = environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / APP / "cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / APP
    xdg = environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and os.path.isabs(xdg) else home / ".cache") / APP


def content_layers(environ: Mapping[str, str], extra: Sequence[str | Path] = ()) -> list[Layer]:
    """Every layer in the order it applies: built-in, user, BACKCARE_CONTENT, ``--content``."""
    layers = [_layer("built-in", builtin_content_dir()), _layer("user", user_data_dir(environ))]
    for part in environ.get(ENV_CONTENT, "").split(os.pathsep):
        if part.strip():
            layers.append(_layer(ENV_CONTENT, Path(part)))
    layers.extend(_layer("--content", Path(p)) for p in extra)
    return layers


def _layer(label: str, path: Path) -> Layer:
    return Layer(label=label, path=str(path), exists=path.exists())


def yaml_files(root: Path) -> Iterator[Path]:
    """The YAML files of a layer, in a stable order; hidden files and folders are skipped.

    A layer may also be a single file. Symbolic links to folders are not
    followed, so a link loop cannot trap the walk.
    """
    if not root.is_dir():
        yield root
        return
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(folder, f)
            for f in files
            if f.endswith((".yaml", ".yml")) and not f.startswith(".")
        )
    yield from sorted(found)
