"""Read commands and ``log`` without loading Typer: a table of their grammar, equal to Typer's.

Typer (``cli/app.py`` and the command modules) is the one grammar of the
command line. Importing it with its click and building the command group takes
about 50 ms, more than the rest of a first ``show``. For the read commands in
``COMMANDS``, written plainly (the command first, then its own options and
words), this module reads the words with a table of that same grammar and
calls the command's body in ``cli/reads.py`` (``cli/diary_log.py`` for
``log``) directly.

Anything the table is not sure of is Typer's: no words, help, an option before
the command or one the command does not have, a value that is missing or
starts with ``-``, a choice that is not one, ``--``, short options run
together, an interactive ``check``. ``parse`` returns None for those and Typer
runs as usual, with its own messages. ``completion`` answers bash's requests
to complete these commands' words and option values in the same way, and
leaves every other request to Typer. Declining is always
safe; answering differently from Typer never is, and ``tests/test_quick.py``
checks both directions: the table lists exactly the options Typer declares for
each command, and for any words the quick reading is None or the values Typer
passes to the same body (and for completion, None or Typer's answer).
"""

from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Any, NamedTuple

from backcare.cli import diary_log, reads
from backcare.models import Category, Rating

#: The environment variable that makes a run a shell's completion request (Typer's name).
COMPLETE_VAR = "_BACKCARE_COMPLETE"


class Option(NamedTuple):
    """One option of a command: the body's parameter it fills, and how it reads."""

    param: str
    takes_value: bool = False  # False: a flag, True when given
    repeatable: bool = False  # values collect in a list
    choices: type[Enum] | None = None  # one of a fixed set of values, in any case
    default: str | None = None  # the value when the option is not given
    completes: str | None = None  # the kind of value shell completion offers for it


class Command(NamedTuple):
    """A read command: its body, its options, and the parameter its words fill, if any."""

    body: Callable[..., int]
    options: Mapping[str, Option]
    words: str | None = None  # the parameter the command's words fill, if it takes any
    many: bool = True  # one or more words, in a list; else exactly one
    words_complete: str | None = None  # the kind of value shell completion offers for them
    fixed: Mapping[str, Any] = {}  # parameters the body always gets (``causes``: the kind)
    needs_any: tuple[str, ...] = ()  # at least one of these given, or Typer's (``check``)


class Call(NamedTuple):
    """A command line the table read: the command's name, body and parameters."""

    name: str
    body: Callable[..., int]
    params: dict[str, Any]


JSON = {"--json": Option("as_json")}
_category = Option("category", True, choices=Category)
_rating = Option("rating", True, choices=Rating)

COMMANDS: Mapping[str, Command] = {
    "list": Command(
        reads.list_remedies,
        {"--category": _category, "-c": _category, "--rating": _rating, "-r": _rating, **JSON},
    ),
    "show": Command(reads.show, JSON, words="remedy", words_complete="remedy"),
    "suggest": Command(
        reads.suggest,
        {
            "--cause": Option("cause", True, repeatable=True, completes="cause"),
            "--symptom": Option("symptom", True, repeatable=True, completes="symptom"),
            **JSON,
        },
    ),
    "search": Command(reads.search, JSON, words="words"),
    "causes": Command(reads.terms, JSON, fixed={"kind": "causes"}),
    "symptoms": Command(reads.terms, JSON, fixed={"kind": "symptoms"}),
    "sources": Command(reads.sources, JSON),
    "red-flags": Command(reads.red_flags, JSON),
    "recovery": Command(reads.recovery, JSON),
    "exercises": Command(reads.exercises, JSON),  # the list: a word after it is a subcommand
    "check": Command(
        reads.check_answered,
        {
            "--yes": Option("yes", True, repeatable=True, completes="red-flag"),
            "--none": Option("none"),
            "--save": Option("save"),
            **JSON,
        },
        needs_any=("yes", "none"),
    ),
    "log": Command(
        diary_log.log,
        {
            "--tried": Option("tried", True, repeatable=True, completes="tried"),
            "--limits": Option("limits", True),
            "--note": Option("note", True),
            "--at": Option("at", True, default="now"),
            **JSON,
        },
        words="pain",
        many=False,
    ),
}


def parse(argv: Sequence[str], environ: Mapping[str, str]) -> Call | None:
    """The command and its parameters as Typer would read them, or None: let Typer read them."""
    if not argv or COMPLETE_VAR in environ:
        return None
    name = argv[0]
    command = COMMANDS.get(name)
    if command is None:
        return None
    read = _read(command, argv[1:])
    if read is None or read.waiting is not None:
        return None
    params, words = read.params, read.words
    if command.words is not None:
        if not words:
            return None
        params[command.words] = words if command.many else words[0]
    if command.needs_any and not any(params[p] for p in command.needs_any):
        return None
    return Call(name, command.body, {**params, **command.fixed})


class _Read(NamedTuple):
    """A command's words as read: its options' values, its own words, an option left waiting."""

    params: dict[str, Any]
    words: list[str]
    waiting: Option | None


def _read(command: Command, given: Sequence[str]) -> _Read | None:
    """Read ``given`` with the command's table; None where only Typer can say what it means."""
    params: dict[str, Any] = {
        option.param: option.default if option.takes_value else False
        for option in command.options.values()
    }
    words: list[str] = []
    rest = iter(given)
    for word in rest:
        if not word.startswith("-"):
            if command.words is None or (words and not command.many):
                return None  # an extra word: Typer says so
            words.append(word)
            continue
        name_given, equals, value = word.partition("=")
        found = command.options.get(name_given if name_given.startswith("--") else word)
        if found is None:
            return None
        if not found.takes_value:
            if equals:
                return None
            params[found.param] = True
            continue
        if not equals:
            following = next(rest, None)
            if following is None:
                return _Read(params, words, found)
            if following.startswith("-"):
                return None
            value = following
        chosen: Any = value if found.choices is None else _choose(found.choices, value)
        if chosen is None:
            return None
        if found.repeatable:
            params[found.param] = [*(params[found.param] or []), chosen]
        else:
            params[found.param] = chosen
    return _Read(params, words, None)


def _choose(choices: type[Enum], value: str) -> Enum | None:
    """The one fixed value that ``value`` names, ignoring case; None if none does."""
    wanted = value.casefold()
    for member in choices:
        if str(member.value).casefold() == wanted:
            return member
    return None


def completion(environ: Mapping[str, str]) -> str | None:
    """Bash's completions for a plain read command line, as Typer gives them; None: Typer's.

    Answers the command's words (``show ic``) and the values of its options
    (``suggest --cause po``), from the same function as Typer's completion.
    Anything else (another shell, the command's name, an option's name,
    quoting, ``=``, root options) is Typer's.
    """
    if environ.get(COMPLETE_VAR) != "complete_bash":
        return None
    text = environ.get("COMP_WORDS", "")
    position = environ.get("COMP_CWORD", "")
    if not position.isdigit() or not text.replace(" ", "").isprintable():
        return None
    if any(character in text for character in "\"'\\="):
        return None
    words = text.split()
    cword = int(position)
    args = words[1:cword]
    incomplete = words[cword] if cword < len(words) else ""
    if not args or incomplete.startswith("-"):
        return None
    command = COMMANDS.get(args[0])
    kind = None if command is None else _completing(command, args[1:])
    if kind is None:
        return None
    from backcare import memo
    from backcare.cli.completion import values

    memo.note_command("backcare completion")
    return "\n".join(values(kind, incomplete, [], environ))


def _completing(command: Command, given: Sequence[str]) -> str | None:
    """What kind of value comes next after the words ``given``, if the table is sure."""
    read = _read(command, given)
    if read is None:
        return None
    if read.waiting is not None:
        return read.waiting.completes  # the option's value is the word being completed
    if command.words is None or (read.words and not command.many):
        return None
    return command.words_complete


def run(argv: Sequence[str], environ: Mapping[str, str]) -> int | None:
    """Run a plain read command and return its exit code; None when Typer must run it."""
    if COMPLETE_VAR in environ:
        answer = None if argv else completion(environ)
        if answer is None:
            return None
        import sys

        sys.stdout.write(answer + "\n")  # as Typer's click writes it: no disclaimer
        sys.stdout.flush()
        return 0
    call = parse(argv, environ)
    if call is None:
        return None
    from backcare import memo
    from backcare.cli.exits import conclude
    from backcare.cli.state import State
    from backcare.output import Environment, Output

    env = Environment.from_process()
    state = State(env, Output(env))
    state.out.json_requested = bool(call.params.get("as_json"))

    def command() -> int:
        state.start_output()
        memo.note_command(f"backcare {call.name}")
        try:
            return call.body(state, **call.params)
        except KeyboardInterrupt:
            env.stderr.write("\n")  # as Typer's click does before it reports the interruption
            raise

    return conclude(state, command)
