"""Settings and recovery: what to expect while back pain settles, and the settings in effect."""

import typer

from backcare.cli import reads
from backcare.cli.app import app
from backcare.cli.common import JsonOption, end_with, examples, state_of


@app.command(
    short_help="How long back pain lasts, and when to get it looked at.",
    epilog=examples(
        "backcare recovery", "backcare --region au recovery", "backcare recovery --json"
    ),
)
def recovery(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """What to expect while back pain gets better, and when to see someone, with sources."""
    end_with(reads.recovery(state_of(ctx, as_json), as_json))


@app.command(
    "config",
    short_help="The settings in effect, and where each came from.",
    epilog=examples(
        "backcare config",
        "BACKCARE_REGION=au backcare config",
        "backcare config --json",
    ),
)
def config(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the settings in effect (region, colour, pager, content folders) and their origins.

    Settings come from options first, then environment variables, then the config
    file (TOML), then the locale; the README lists them.
    """
    from backcare.escape import shown
    from backcare.query.settings import color_origin, settings_in_effect
    from backcare.render import recovery as view

    state = state_of(ctx, as_json)
    file = state.config()
    if file.error is not None:
        raise file.error
    chosen = state.region()
    configured_color = file.values.get("color")
    pager = file.values.get("pager")
    rows = settings_in_effect(
        chosen,
        color_origin(state.color_option, state.env.environ, configured_color),
        (
            str(pager).lower() if isinstance(pager, bool) else str(pager),
            f"the config file ({file.where('pager')})",
        )
        if pager is not None
        else ("not set", "default"),
        state.layers(),
        shown(str(file.path)),
        file.exists,
    )
    view.settings(state.out, rows, state.catalog(), as_json=as_json)
