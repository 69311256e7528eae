"""The man page, generated from the same text as ``--help`` (imported only for ``--man``)."""

import datetime
import inspect
from typing import Any

from backcare import __version__
from backcare.cli.helptext import ENVIRONMENT, EXIT_CODES
from backcare.render.words import DISCLAIMER

PROJECT_URL = "https://pypi.org/project/backcare/"


def roff(text: str) -> str:
    """Text made safe for roff: backslashes doubled, no line starting a request."""
    lines = []
    for line in text.replace("\\", "\\e").replace("-", "\\-").splitlines():
        lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(lines)


def _paragraphs(text: str) -> list[str]:
    """Help text as paragraphs; a ``\\b`` (no-rewrap) block keeps its lines."""
    out = []
    for block in inspect.cleandoc(text).split("\n\n"):
        if block.startswith("\b\n"):
            out.append(".nf\n" + roff(block[2:]) + "\n.fi")
        else:
            out.append(roff(" ".join(block.split())))
    return out


def _options(command: Any, ctx: Any) -> list[str]:
    out = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, text = record
        out += [".TP", f"\\fB{roff(names)}\\fR", roff(" ".join(text.split()))]
    return out


def _commands(group: Any, ctx: Any, prefix: str) -> list[str]:
    """A subsection per command, and per command of a command group, in help order."""
    page: list[str] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = command.context_class(command, info_name=name, parent=ctx)
        usage = " ".join(command.collect_usage_pieces(sub))
        page += [".SS " + roff(f"{prefix} {name} {usage}".strip())]
        page += [f".PP\n{p}" for p in _paragraphs(command.help or "")]
        page += [".PP", *_options(command, sub)]
        if command.epilog:
            page += [f".PP\n{p}" for p in _paragraphs(command.epilog)]
        if hasattr(command, "list_commands"):
            page += _commands(command, sub, f"{prefix} {name}")
    return page


def manpage(ctx: Any) -> str:
    """The man page for the program whose root context is ``ctx``, in roff."""
    root = ctx.find_root()
    group = root.command
    date = datetime.date.today().isoformat()
    page = [
        f'.TH BACKCARE 1 "{date}" "backcare {__version__}" "User Commands"',
        ".SH NAME",
        "backcare \\- " + roff((group.help or "backcare").split(":")[0].split(".")[0]),
        ".SH SYNOPSIS",
        "\\fBbackcare\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        *(f".PP\n{p}" for p in _paragraphs(group.help or "")),
        ".SH OPTIONS",
        *_options(group, root),
        ".SH COMMANDS",
    ]
    page += _commands(group, root, "backcare")
    page.append(".SH ENVIRONMENT")
    for name, text in ENVIRONMENT:
        page += [".TP", f"\\fB{roff(name)}\\fR", roff(text)]
    page.append(".SH EXIT STATUS")
    for code, text in EXIT_CODES:
        page += [".TP", f"\\fB{code}\\fR", roff(text)]
    page += [
        ".SH NOTES",
        roff(DISCLAIMER),
        ".SH SEE ALSO",
        roff(PROJECT_URL),
    ]
    return "\n".join(page) + "\n"
