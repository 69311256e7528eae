"""The command line: parse arguments, call the layers below, map outcomes to exit codes.

``app`` (the Typer application, its root options and the parser's errors) is
the one grammar of the command line. One module per group of commands declares
its commands on it (``guide``, ``screening``, ``content_tools``, ``settings``,
``diary``, ``routine``, ``plan``, ``meta``). The bodies of the read commands
live in ``reads`` and the run's state in ``state``, both free of Typer, so that
``quick`` can run a plain read command, parsed with a table that tests keep
equal to Typer's grammar, without importing Typer. ``exits`` is the one place
where what a command raised becomes an exit code.

This package's ``__init__`` imports nothing, so that importing one of its
Typer-free modules costs only that module.
"""


def main() -> None:
    """Run the command line through Typer (the console script is ``backcare.launch``)."""
    from backcare.cli.app import app

    app(prog_name="backcare")
