"""Flags in any position: the command line rearranged before Click parses it.

Click wants the group's options before the command and each command's after
it; people write ``backcare list --color never`` and ``backcare --json list``.
``arrange`` moves the global options in front of the command and a ``--json``
given before the command after it, leaving every other word, and everything
after ``--``, where it was.
"""

from collections.abc import Iterable
from typing import Any

# The group's options that may follow the command, and whether each takes a value.
GLOBAL_OPTIONS = {"--color": True, "--content": True, "--region": True, "--no-pager": False}


def _takes_value(command: Any) -> set[str]:
    """The option names of a Click command that take a value (``--cause CAUSE``)."""
    names: set[str] = set()
    for param in getattr(command, "params", []):
        if getattr(param, "param_type_name", "") == "option" and not getattr(
            param, "is_flag", False
        ):
            names.update(param.opts)
    return names


def _group_value_options(group: Any) -> set[str]:
    return _takes_value(group) | {name for name, value in GLOBAL_OPTIONS.items() if value}


def arrange(argv: Iterable[str], group: Any) -> tuple[list[str], bool]:
    """The arguments with global options first and ``--json`` after the command.

    Also says whether ``--json`` was asked for (as an option, not as a value).
    """
    words = list(argv)
    front: list[str] = []
    command: list[str] = []
    rest: list[str] = []
    json_early = wants_json = False
    group_values = _group_value_options(group)
    command_values: set[str] = set()
    n = 0
    while n < len(words):
        word = words[n]
        if word == "--":
            rest = words[n:]
            break
        name, equals, _ = word.partition("=")
        if name in GLOBAL_OPTIONS:
            taken = 1 if equals or not GLOBAL_OPTIONS[name] else 2
            if n + taken > len(words):  # its value is missing: let Click say so, alone
                return [*front, word], wants_json
            front += words[n : n + taken]
            n += taken
            continue
        if word == "--json":
            wants_json = True
        if not command:
            if word == "--json":
                json_early = True
            elif word.startswith("-") and word != "-":
                front.append(word)
                if word in group_values and n + 1 < len(words):
                    front.append(words[n + 1])
                    n += 1
            else:
                command.append(word)
                found = getattr(group, "commands", {}).get(word)
                command_values = _takes_value(found)
            n += 1
            continue
        command.append(word)
        if word in command_values and n + 1 < len(words):
            command.append(words[n + 1])
            n += 1
        n += 1
    if json_early:
        (command if command else front).append("--json")
    return front + command + rest, wants_json
