"""The config file: settings a person keeps between runs.

A TOML file in the user config folder (``$XDG_CONFIG_HOME/backcare/config.toml``
on Linux, or the platform's equivalent) may hold ``region``, ``color``, ``pager``
and ``content`` (extra content folders). It is read only when a setting is needed
and the file exists, so a run without one never imports a TOML parser. A broken
file is reported as one line naming the file and line; it never raises anything
else.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from backcare.errors import ConfigError

APP = "backcare"
ENV_REGION = "BACKCARE_REGION"
CONFIG_NAME = "config.toml"
MAX_CONFIG_BYTES = 64 * 1024
KEYS = ("region", "color", "pager", "content")
COLORS = ("auto", "always", "never")
_HINT = "fix the file or remove that line; 'backcare config' shows the settings in effect"
_KEY_LINE = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")
_TABLE_LINE = re.compile(r"^\s*\[")
_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


class Config(NamedTuple):
    """What the config file says: its path, whether it exists, its values, or its error."""

    path: Path
    exists: bool
    values: Mapping[str, Any]
    lines: Mapping[str, int]  # the line each key is set on, for messages
    error: ConfigError | None = None

    def where(self, key: str) -> str:
        """``PATH:LINE`` of a key, for messages and for ``backcare config``."""
        from backcare.escape import shown

        line = self.lines.get(key)
        return f"{shown(str(self.path))}:{line}" if line else shown(str(self.path))


def config_path(environ: Mapping[str, str]) -> Path:
    """Where the config file lives, by each platform's convention.

    Raises ``paths.NoHomeError`` when that depends on a home folder there is none of.
    """
    from backcare.paths import require_home

    if sys.platform == "win32":
        base = environ.get("APPDATA")
        folder = Path(base) if base else require_home(environ) / "AppData" / "Roaming"
        return folder / APP / CONFIG_NAME
    if sys.platform == "darwin":
        return require_home(environ) / "Library" / "Application Support" / APP / CONFIG_NAME
    xdg = environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else require_home(environ) / ".config"
    return base / APP / CONFIG_NAME


def read_config(environ: Mapping[str, str]) -> Config:
    """Read and check the config file; a missing file is an empty config, never an error."""
    from backcare.paths import NoHomeError

    try:
        path = config_path(environ)
    except NoHomeError:  # no home folder, so no config file either (said once elsewhere)
        return Config(Path("(no home folder)"), False, {}, {})
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return Config(path, False, {}, {})
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        return Config(path, True, {}, {}, _error(path, 0, f"cannot be read: {reason}"))
    if len(data) > MAX_CONFIG_BYTES:
        return Config(path, True, {}, {}, _error(path, 0, "is over 64 KiB; a config file is short"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Config(path, True, {}, {}, _error(path, line, "is not UTF-8 text"))
    lines = _key_lines(text)
    try:
        document = _parse(text)
    except ValueError as error:  # tomllib's TOMLDecodeError is a ValueError
        message = str(error).splitlines()[0] if str(error) else "is not valid TOML"
        found = _AT_LINE.search(message)
        line = int(found.group(1)) if found else int(getattr(error, "lineno", 0) or 0)
        message = _AT_LINE.sub("", message)
        return Config(path, True, {}, lines, _error(path, line, f"is not valid TOML: {message}"))
    problem = _check(document, lines, path)
    return Config(path, True, document if problem is None else {}, lines, problem)


def _parse(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 has no tomllib
        import tomli as tomllib
    return tomllib.loads(text)


def _key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key (before the first table), as written."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if _TABLE_LINE.match(line):
            found.setdefault("[", number)
            break
        match = _KEY_LINE.match(line)
        if match:
            key = next(group for group in match.groups() if group is not None)
            found.setdefault(key, number)
    return found


def _check(document: dict[str, Any], lines: Mapping[str, int], path: Path) -> ConfigError | None:
    """The first mistake in the file's settings, in the order they are written, or None."""
    for key in sorted(document, key=lambda k: lines.get(k, lines.get("[", 0))):
        value = document[key]
        line = lines.get(key) or lines.get("[", 0)
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            what = "table" if isinstance(value, dict) else "setting"
            return _error(
                path, line, f"unknown {what} '{key[:40]}'{hint}; settings are {', '.join(KEYS)}"
            )
        if key == "region" and not (isinstance(value, str) and value.strip()):
            return _error(path, line, 'region must be text, for example region = "uk"')
        if key == "color" and value not in COLORS:
            return _error(path, line, f"color must be one of {', '.join(COLORS)}")
        if key == "pager" and not isinstance(value, (str, bool)):
            return _error(path, line, 'pager must be a command such as "less -R", or false')
        if key == "content" and not (
            isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        ):
            return _error(path, line, 'content must be a list of folders, e.g. ["~/back"]')
    return None


def _error(path: Path, line: int, message: str) -> ConfigError:
    from backcare.escape import shown

    where = f"{shown(str(path))}:{line}" if line else shown(str(path))
    return ConfigError(f"config file {where}: {message}", hint=_HINT)


def content_folders(config: Config) -> list[Path]:
    """The extra content folders the config file names, with ``~`` expanded."""
    folders = config.values.get("content") or []
    return [Path(os.path.expanduser(folder)) for folder in folders]
