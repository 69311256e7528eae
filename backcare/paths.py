"""Where content lives: the built-in folder, the user's folder, and extra layers."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from stat import S_ISDIR
from typing import TYPE_CHECKING, NamedTuple

from backcare.errors import BackcareError, ExitStatus
from backcare.models import Layer
from backcare.places import APP as APP
from backcare.places import ENV_CACHE as ENV_CACHE
from backcare.places import user_cache_folder

if TYPE_CHECKING:
    from backcare.findings import Finding

ENV_CONTENT = "BACKCARE_CONTENT"


def builtin_content_dir() -> Path:
    """The content shipped with backcare.

    A wheel carries it inside the package as ``_content``; a source checkout or
    an editable install has it beside the package, as ``content/``.
    """
    package = Path(__file__).resolve().parent
    bundled = package / "_content"
    return bundled if bundled.is_dir() else package.parent / "content"


class NoHomeError(BackcareError):
    """There is no home folder, so no per-user folder can be found."""

    exit_status = ExitStatus.USAGE


def home_folder(environ: Mapping[str, str]) -> Path | None:
    """The user's home folder: ``HOME`` (``USERPROFILE`` on Windows), else the password entry.

    None when neither names an absolute folder: ``env -i``, a container or
    ``unshare`` can start a process whose user has no password entry at all.
    (``Path.home`` would raise there, or on older Pythons answer a relative ``~``.)
    """
    names = ("HOME", "USERPROFILE") if sys.platform == "win32" else ("HOME",)
    for name in names:
        value = environ.get(name)
        if value and os.path.isabs(value):
            return Path(value)
    if os.name != "posix":
        return None
    import pwd

    try:
        entry = pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:
        return None
    return Path(entry) if entry and os.path.isabs(entry) else None


def home_problem(environ: Mapping[str, str]) -> str | None:
    """Why there is no home folder (None when there is one): said once per run."""
    if home_folder(environ) is not None:
        return None
    return (
        f"no home folder (HOME is not set and user {os.getuid()} has no entry in the"
        " password database)"
        if os.name == "posix"
        else "no home folder (HOME and USERPROFILE are not set)"
    )


def without_home(environ: Mapping[str, str]) -> str | None:
    """What this run goes without for want of a home folder, in a line; None if nothing."""
    problem = home_problem(environ)
    if problem is None:
        return None
    from backcare.settings import config_path

    missing = []
    for what, folder in (
        ("a user content folder", user_data_dir),
        ("a config file", config_path),
        ("a cache", user_cache_dir),
    ):
        try:
            folder(environ)
        except NoHomeError:
            missing.append(what)
    if not missing:
        return None
    listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} or {missing[-1]}"
    return f"{problem}; running without {listed}"


def require_home(environ: Mapping[str, str]) -> Path:
    """The home folder; ``NoHomeError`` when there is none (see ``home_folder``)."""
    home = home_folder(environ)
    if home is None:
        raise NoHomeError(
            home_problem(environ) or "no home folder", hint="set HOME to your home folder"
        )
    return home


def user_data_dir(environ: Mapping[str, str]) -> Path:
    """The per-user data folder, by each platform's convention.

    Raises ``NoHomeError`` when it depends on a home folder there is none of.
    """
    if sys.platform == "win32":
        base = environ.get("APPDATA")
        return Path(base) / APP if base else require_home(environ) / "AppData" / "Roaming" / APP
    if sys.platform == "darwin":
        return require_home(environ) / "Library" / "Application Support" / APP
    xdg = environ.get("XDG_DATA_HOME")
    return (
        Path(xdg) if xdg and os.path.isabs(xdg) else require_home(environ) / ".local" / "share"
    ) / APP


def user_cache_dir(environ: Mapping[str, str]) -> Path:
    """Where the parsed-content cache goes (``BACKCARE_CACHE_DIR`` overrides).

    Raises ``NoHomeError`` when it depends on a home folder there is none of.
    """
    home = home_folder(environ)
    folder = user_cache_folder(environ, None if home is None else str(home))
    if folder is None:
        require_home(environ)  # raises, saying why
    return Path(str(folder))


def content_layers(
    environ: Mapping[str, str],
    extra: Sequence[str | Path] = (),
    configured: Sequence[Path] = (),
) -> list[Layer]:
    """Every layer in the order it applies.

    Built-in, user, the config file's ``content`` folders (``configured``),
    BACKCARE_CONTENT, then ``--content``. Without a home folder there is no user
    layer (``home_problem`` says why).
    """
    layers = [_layer("built-in", builtin_content_dir())]
    with contextlib.suppress(NoHomeError):
        layers.append(_layer("user", user_data_dir(environ)))
    layers.extend(_layer("config", folder) for folder in configured)
    for part in environ.get(ENV_CONTENT, "").split(os.pathsep):
        if part.strip():
            layers.append(_layer(ENV_CONTENT, Path(part)))
    layers.extend(_layer("--content", Path(p)) for p in extra)
    return layers


def _layer(label: str, path: Path) -> Layer:
    """A layer, with whether its folder exists and, if it may not be read, why not."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return Layer(label, str(path), False)
    except OSError as error:
        return Layer(label, str(path), False, error.strerror or type(error).__name__)
    except ValueError as error:  # a path the system cannot even be asked about (a NUL byte)
        return Layer(label, str(path), False, str(error))
    if S_ISDIR(info.st_mode) and not os.access(path, os.R_OK | os.X_OK):
        return Layer(label, str(path), False, "Permission denied")
    return Layer(label, str(path), True)


def exists(path: str | Path) -> bool:
    """Whether ``path`` exists and can be looked at.

    Never raises: a path the system cannot look at (a name too long for it, a
    folder on the way that may not be searched) counts as not there, and
    ``unreadable_reason`` says why.
    """
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


def unreadable_reason(path: str | Path) -> str | None:
    """Why ``path`` cannot be looked at, or None when it exists or simply is not there."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        return error.strerror or type(error).__name__
    except ValueError as error:  # a path the system cannot even be asked about (a NUL byte)
        return str(error)
    return None


YAML_SUFFIXES = (".yaml", ".yml")


def is_yaml_name(name: str) -> bool:
    """Whether a file name marks a YAML file, in any letter case (``Mine.YAML`` too)."""
    return name.lower().endswith(YAML_SUFFIXES)


MAX_FILES = 1000
MAX_FOLDER_DEPTH = 16
MAX_LAYER_BYTES = 32 * 1024 * 1024


class LayerFiles(NamedTuple):
    """The YAML files of one layer, and any problem met while finding them."""

    files: list[Path]
    findings: list[Finding]


def scan_layer(root: Path) -> LayerFiles:
    """Find the YAML files of a layer, in a stable order, within fixed bounds.

    A layer is a folder (or a single file). Hidden files and folders are
    skipped; symbolic links to folders are not followed, so a link loop cannot
    trap the walk; at most ``MAX_FILES`` files and ``MAX_LAYER_BYTES`` bytes
    are taken, and folders deeper than ``MAX_FOLDER_DEPTH`` levels are not read.
    A folder whose name ends in ``.yaml`` is returned as a file, so that
    reading it reports the mistake.
    The walk is iterative: no folder tree can exhaust the call stack.
    """
    from backcare.escape import shown

    result = LayerFiles([], [])
    # os.path.isdir, unlike Path.is_dir, is False for any path it cannot look at.
    if not os.path.isdir(root) or is_yaml_name(root.name):
        result.files.append(root)
        return result
    pending: list[tuple[Path, int]] = [(root, 0)]
    while pending:
        folder, depth = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            result.findings.append(
                _problem(folder, "UNREADABLE", f"folder cannot be read: {reason}")
            )
            continue
        for name, is_folder in listed:
            if name.startswith("."):
                continue
            path = folder / name
            if is_yaml_name(name):
                result.files.append(path)
            elif is_folder and depth < MAX_FOLDER_DEPTH:
                pending.append((path, depth + 1))
            elif is_folder:
                message = (
                    f"folders nest deeper than {MAX_FOLDER_DEPTH} levels; this one is not read"
                )
                result.findings.append(_problem(path, "TOO_LARGE", message))
        if len(result.files) > MAX_FILES:
            break
    result.files.sort()
    if len(result.files) > MAX_FILES:
        del result.files[MAX_FILES:]
        message = f"holds more than {MAX_FILES} YAML files; only the first {MAX_FILES} are read"
        result.findings.append(_problem(root, "TOO_LARGE", message))
    total = 0
    for index, path in enumerate(result.files):
        try:
            total += path.stat().st_size
        except OSError:
            continue  # reading the file will say why
        if total > MAX_LAYER_BYTES:
            del result.files[index:]
            limit = MAX_LAYER_BYTES // (1024 * 1024)
            first = shown(path.name)
            message = f"holds more than {limit} MiB of YAML; files from {first} on are not read"
            result.findings.append(_problem(root, "TOO_LARGE", message))
            break
    return result


def _problem(path: Path, code: str, message: str) -> Finding:
    """A finding about a layer's files; the findings module loads only when there is one."""
    from backcare.findings import Code, Finding

    return Finding(str(path), 0, 0, Code[code], message)


def yaml_files(root: Path) -> Iterator[Path]:
    """The YAML files of a layer, in a stable order (see ``scan_layer``)."""
    yield from scan_layer(root).files
