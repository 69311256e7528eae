"""Writing a file the user named: atomically, and never over one by accident."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from backcare.errors import UsageError, WriteError


def write_new(path: Path, data: bytes, *, force: bool, option: str) -> None:
    """Write ``data`` to ``path`` in one step: a reader sees the old file or the whole new one.

    An existing file is replaced only with ``force``; a folder never is. The new
    file is readable by its owner alone, since what backcare writes may be
    health data.
    """
    shown = str(path)
    if path.is_dir():
        raise UsageError(f"{option} {shown!r} is a folder; give a file name")
    if (path.exists() or path.is_symlink()) and not force:
        raise UsageError(
            f"{shown!r} already exists; backcare will not overwrite it",
            hint="add --force to replace it, or give another file name",
        )
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteError(f"cannot write {shown!r}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(f"cannot write {shown!r}: {error.strerror or error}") from error
