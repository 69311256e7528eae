"""The console script's entry point: the least possible work before the command runs.

First, a repeated read command is answered from its remembered rendering
(``backcare.memo``) before Typer is even imported; then a plain read command
runs from the quick path (``backcare.cli.quick``), still without Typer;
anything else runs the command line through Typer. A run's answer is
remembered when it qualifies.

The garbage collector is off while Python imports the command line and loads
the content: both create hundreds of thousands of objects and no garbage
cycles worth collecting, and each collection would walk all of them again
(at 10,000 remedies a warm run spent more time collecting than loading).
Once the content is loaded it is frozen (``gc.freeze``: never walked again)
and collection resumes (``settle``); before exit everything is frozen, so the
interpreter's final collection has nothing to walk.
"""

import gc
import os
import sys

_paused = False  # whether ``main`` switched the collector off and it is still off


def main() -> None:
    """Run backcare: from a remembered rendering, or with the collector off until loaded."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True
    try:
        from backcare import memo

        argv = sys.argv[1:]
        code = memo.replay(argv, os.environ)
        if code is not None:
            raise SystemExit(code)
        recorder = memo.Recorder.start(argv, os.environ)
        try:
            from backcare.cli import quick

            code = quick.run(argv, os.environ)
            if code is not None:
                raise SystemExit(code)
            from backcare.cli import main as cli_main

            cli_main()
        except SystemExit as done:
            if recorder is not None:
                recorder.finish(done.code)
            raise
        except BaseException:
            if recorder is not None:
                recorder.finish(1)
            raise
    finally:
        gc.freeze()


def settle() -> None:
    """After loading content: freeze what exists and resume collecting.

    Only when ``main`` switched the collector off: a program that imports
    backcare as a library keeps its own collector settings.
    """
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
