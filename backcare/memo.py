"""Remembered renderings: a repeated read command answers without starting the command line.

A stateless read command (``show``, ``list``, ``suggest``, ``search`` ...,
``COMMANDS``, and the answers to the shell's completion requests)
prints the same bytes for the same inputs. When one finishes with exit 0, or
with a warning level's exit code (10, 11, 12, replayed with the same code), and
its stdout is not a terminal, what it wrote is stored under a key made of
everything its output can depend on:

- the arguments, the working folder and the whole environment (less the
  shell's bookkeeping variables ``_``, ``PWD``, ``OLDPWD``, ``SHLVL``);
- the terminal facts: which of stdin, stdout and stderr are terminals, the
  width of a terminal on stderr, the streams' encodings;
- backcare's version, its own source files and the folders Python imports
  from (so an upgrade of backcare, Typer or Rich misses), and Python itself;

and with the files it read: every folder and file of every content layer, and
the configuration file and its folder, each by device, inode, size, modification and
change time (the change time moves on every write, whatever ``touch -d``,
``cp -p`` or ``rsync -t`` do to the modification time). The next run with the
same key and unchanged files writes the stored text to the same kind of
streams, in the same order, and exits, before the command line is imported; anything
else is a miss, and the command line runs (and stores its answer). A run
is only ever stored after the command line was parsed (by Typer, or by the
quick path, whose reading is Typer's), under the exact arguments it was given.

Never stored: other commands (the diary, ``check`` asking its questions or
saving to the diary, ``routine``, ``validate``), a run that failed, wrote to
a terminal's stdout or failed to write, output over ``MAX_BYTES``, and a run
whose files changed in the last two seconds (a file system's timestamps can
be too coarse to see a second edit within them).

Stored safely: a folder of the user's own (0700) in the cache folder, files
of 0600 written whole under a temporary name and renamed into place, read no
further than ``MAX_BYTES``, and ignored unless owned by the user, private and
a regular file. At most ``MAX_ENTRIES`` are kept.
"""

from __future__ import annotations

import os
import sys
import time
import zlib

from backcare import __version__

# Not ``typing.TYPE_CHECKING``: importing typing costs more than a whole replay.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, TextIO

FORMAT = b"backcare-memo 1\n"
FOLDER = "memo"
#: The commands whose output depends on nothing but the key and the files above.
COMMANDS = frozenset(
    {
        *("show", "list", "suggest", "search", "red-flags"),
        *("causes", "symptoms", "sources", "exercises", "exercises show", "completion"),
        *("recovery", "check answered"),  # check with --yes or --none, and not --save
    }
)
#: The exit codes of runs worth remembering: success, and the warning levels
#: (``ExitStatus``: see a doctor soon 10, urgent 11, emergency 12), whose card
#: a repeat must show again with the same code. Never a failure.
REMEMBERED_EXITS = frozenset({0, 10, 11, 12})
MAX_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 256
#: Files in the content layers looked at, at most, to remember one run.
MAX_FILES = 4000
#: A file changed this recently (nanoseconds) may change again unseen: not remembered.
SETTLE_NS = 2_000_000_000
_SHELL_BOOKKEEPING = frozenset({"_", "PWD", "OLDPWD", "SHLVL"})
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def key(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """Everything a stored rendering's output may depend on, but its files, as one string."""
    streams = (sys.stdin, sys.stdout, sys.stderr)
    facts: list[Any] = [_isatty(stream) for stream in streams]
    facts += [(getattr(s, "encoding", None), getattr(s, "errors", None)) for s in streams]
    if facts[2]:
        facts.append(_width(sys.stderr))
    return repr(
        (
            FORMAT,
            __version__,
            sys.version,
            sys.executable,
            tuple(argv),
            os.getcwd(),
            sorted((k, v) for k, v in environ.items() if k not in _SHELL_BOOKKEEPING),
            facts,
            _code_stamp(),
        )
    )


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _width(stream: TextIO) -> int | None:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return None


def _code_stamp() -> list[str]:
    """backcare's own source files and the folders Python imports from, by signature."""
    stamp = [_signature(folder) for folder in sys.path if folder]
    folders = [_PACKAGE]
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".py"):
                stamp.append(_signature(entry.path))
            elif entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                folders.append(entry.path)
    return stamp


def _signature(path: str) -> str:
    """What identifies a file or folder as it is now; a folder with its entries' names."""
    try:
        info = os.stat(path)
    except (OSError, ValueError) as error:
        return f"{path}\0missing {getattr(error, 'errno', '')}"
    base = f"{path}\0{info.st_dev} {info.st_ino} {info.st_mode} {info.st_size}"
    base += f" {info.st_mtime_ns} {info.st_ctime_ns}"
    if os.path.isdir(path):
        try:
            base += "\0" + "\0".join(sorted(os.listdir(path)))
        except OSError as error:
            base += f"\0unlistable {error.errno}"
    return base


def folder(environ: Mapping[str, str]) -> str | None:
    """The folder of stored renderings; None when there is no cache folder to hold it."""
    from backcare.places import user_cache_folder

    home = environ.get("HOME") or os.path.expanduser("~")
    cache = user_cache_folder(environ, home if os.path.isabs(home) else None)
    return None if cache is None else os.path.join(cache, FOLDER)


def _entry_path(environ: Mapping[str, str], text: str) -> str | None:
    place = folder(environ)
    if place is None:
        return None
    data = text.encode("utf-8", "surrogatepass")
    return os.path.join(place, f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}")


# --- replay -----------------------------------------------------------------------------


def replay(argv: Sequence[str], environ: Mapping[str, str]) -> int | None:
    """Write the stored rendering for this run and return its exit code; None on a miss."""
    if _isatty(sys.stdout):
        return None
    text = key(argv, environ)
    path = _entry_path(environ, text)
    fields = None if path is None else _read_fields(path)
    if fields is None or len(fields) < 3 or fields[0] != text:
        return None
    try:
        code = int(fields[1])
        count = int(fields[2])
        files, chunks = fields[3 : 3 + count], fields[3 + count :]
    except ValueError:
        return None
    if len(chunks) % 2 or any(_signature(each.split("\0", 1)[0]) != each for each in files):
        return None
    try:
        for name, chunk in zip(chunks[::2], chunks[1::2], strict=True):
            if name.endswith("2"):
                _to_stderr(chunk, flush=name.startswith("f"))
            elif name.startswith("f"):
                sys.stdout.flush()
            else:
                sys.stdout.write(chunk)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (``| head -1``): quietly, as a real run
        _to_null(sys.stdout)
        return code
    except OSError as error:
        _to_null(sys.stdout)
        _to_stderr(f"backcare: error: cannot write the output: {error.strerror}\n", flush=True)
        from backcare.errors import ExitStatus

        return int(ExitStatus.OUTPUT_FAILED)
    return code


def _to_stderr(text: str, *, flush: bool) -> None:
    """Write to stderr, never failing, as a real run does (``2>/dev/full``)."""
    try:
        if text:
            sys.stderr.write(text)
        if flush:
            sys.stderr.flush()
    except (OSError, ValueError):
        _to_null(sys.stderr)


def _to_null(stream: TextIO) -> None:
    """Send a stream that failed to the null device, so Python's flush at exit cannot fail."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
        stream.flush()
    except (OSError, ValueError):
        pass


def _read_fields(path: str) -> list[str] | None:
    """The fields of a stored rendering, or None if it is missing or not to be trusted."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        if not _private(os.path.dirname(path), folder=True):
            return None
        descriptor = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        if not _private_descriptor(descriptor):
            return None
        data = os.read(descriptor, MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    if len(data) > MAX_BYTES or not data.startswith(FORMAT):
        return None
    return _decode(data[len(FORMAT) :])


def _private(path: str, *, folder: bool) -> bool:
    """Whether ``path`` is the user's own folder (or file) that no one else may write."""
    import stat

    try:
        info = os.lstat(path)
    except OSError:
        return False
    kind = stat.S_ISDIR if folder else stat.S_ISREG
    return kind(info.st_mode) and _owned_and_private(info)


def _private_descriptor(descriptor: int) -> bool:
    import stat

    info = os.fstat(descriptor)
    return stat.S_ISREG(info.st_mode) and _owned_and_private(info)


def _owned_and_private(info: os.stat_result) -> bool:
    owner = getattr(os, "getuid", None)
    if owner is not None and info.st_uid != owner():
        return False
    return os.name == "nt" or not info.st_mode & 0o077


def _encode(fields: Sequence[str]) -> bytes:
    """Fields as ``LENGTH\\n BYTES`` one after another."""
    parts = []
    for field in fields:
        data = field.encode("utf-8", "surrogatepass")
        parts.append(b"%d\n%s" % (len(data), data))
    return b"".join(parts)


def _decode(data: bytes) -> list[str] | None:
    fields = []
    at = 0
    try:
        while at < len(data):
            end = data.index(b"\n", at, at + 12)
            size = int(data[at:end])
            if size < 0 or end + 1 + size > len(data):
                return None
            fields.append(data[end + 1 : end + 1 + size].decode("utf-8", "surrogatepass"))
            at = end + 1 + size
    except (ValueError, UnicodeDecodeError):
        return None
    return fields


# --- recording --------------------------------------------------------------------------


class _Tee:
    """A text stream that passes everything on and keeps a copy of what it wrote.

    A write or flush that fails spoils the copy; a write of bytes (which a
    caller may try, to learn whether the stream takes them) is refused as the
    stream itself would refuse it. Bytes written to the stream's ``buffer``
    are not copied, so they spoil the copy too.
    """

    def __init__(self, stream: TextIO, name: str, log: list[str], recorder: Recorder) -> None:
        self._stream = stream
        self._name = name
        self._log = log
        self._recorder = recorder

    def write(self, text: str) -> int:
        try:
            written = self._stream.write(text)
        except (OSError, ValueError):
            self._recorder.spoilt = True
            raise
        self._log += (self._name, text)
        return written

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            self._recorder.spoilt = True
            raise
        self._log += ("f" + self._name, "")

    @property
    def buffer(self) -> _Spoiler:
        return _Spoiler(self._stream.buffer, self._recorder)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Spoiler:
    """A binary stream that spoils the recording when written to."""

    def __init__(self, stream: Any, recorder: Recorder) -> None:
        self._stream = stream
        self._recorder = recorder

    def write(self, data: bytes) -> int:
        self._recorder.spoilt = True
        return int(self._stream.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class Recorder:
    """Keeps a copy of one run's output, and stores it when the run qualifies."""

    active: Recorder | None = None

    def __init__(self, argv: Sequence[str], environ: Mapping[str, str]) -> None:
        self.argv = list(argv)
        self.environ = environ
        self.key = key(argv, environ)
        self.command: str | None = None
        self.layers: list[str] = []
        self.spoilt = False
        self.started = time.time_ns()
        self.log: list[str] = []
        self._streams = (sys.stdout, sys.stderr)

    @classmethod
    def start(cls, argv: Sequence[str], environ: Mapping[str, str]) -> Recorder | None:
        """Begin copying stdout and stderr, unless this run could never be stored."""
        if _isatty(sys.stdout) or sys.stdout is None or sys.stderr is None:
            return None
        recorder = cls(argv, environ)
        sys.stdout = _Tee(sys.stdout, "1", recorder.log, recorder)
        sys.stderr = _Tee(sys.stderr, "2", recorder.log, recorder)
        cls.active = recorder
        return recorder

    def finish(self, code: object) -> None:
        """Put the streams back, and store the run if it qualifies."""
        sys.stdout, sys.stderr = self._streams
        Recorder.active = None
        status = 0 if code is None else code
        if status not in REMEMBERED_EXITS or self.spoilt or self.command not in COMMANDS:
            return
        import contextlib

        with contextlib.suppress(OSError, ValueError):  # an unwritable cache fails no run
            self._store(int(status))

    def _store(self, code: int) -> None:
        files = self._files()
        if files is None:
            return
        data = FORMAT + _encode([self.key, str(code), str(len(files)), *files, *self.log])
        if len(data) > MAX_BYTES:
            return
        target = _entry_path(self.environ, self.key)
        if target is None:
            return
        place = os.path.dirname(target)
        os.makedirs(place, mode=0o700, exist_ok=True)
        if not _private(place, folder=True):
            return
        if _recently_changed(files, self.started):
            return
        temporary = f"{target}.{os.getpid()}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)  # atomic: a reader never sees half a file
        except OSError:
            import contextlib

            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(place)

    def _files(self) -> list[str] | None:
        """The signatures of every folder and file the run's content came from."""
        from backcare.errors import BackcareError
        from backcare.settings import config_path

        try:
            config = config_path(self.environ)
        except BackcareError:  # no home folder, so no config file either
            found = []
        else:
            found = [_signature(str(config.parent)), _signature(str(config))]
        folders = list(self.layers)
        while folders:
            path = folders.pop()
            found.append(_signature(path))
            if len(found) > MAX_FILES:
                return None
            if not os.path.isdir(path):
                continue
            try:
                names = os.listdir(path)
            except OSError:
                continue
            for name in names:
                child = os.path.join(path, name)
                if os.path.isdir(child):
                    folders.append(child)
                else:
                    found.append(_signature(child))
        return found


def _recently_changed(files: Sequence[str], started_ns: int) -> bool:
    """Whether a file changed while the run went on, or just before it began."""
    for signature in files:
        numbers = signature.split("\0")[1].split()
        if len(numbers) == 6 and max(int(numbers[4]), int(numbers[5])) > started_ns - SETTLE_NS:
            return True
    return False


def _prune(place: str) -> None:
    """Keep the newest ``MAX_ENTRIES`` stored renderings."""
    entries = [entry for entry in os.scandir(place) if entry.is_file(follow_symlinks=False)]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda entry: entry.stat(follow_symlinks=False).st_mtime_ns)
    import contextlib

    for entry in entries[: len(entries) - MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def note_command(path: str) -> None:
    """Say which command this run is, as Typer parsed it: ``backcare exercises show``."""
    if Recorder.active is not None:
        Recorder.active.command = " ".join(path.split()[1:])


def note_layers(paths: Sequence[str]) -> None:
    """Say which content folders this run read."""
    if Recorder.active is not None:
        Recorder.active.layers.extend(paths)
