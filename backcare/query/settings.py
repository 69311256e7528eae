"""The settings in effect and where each came from, for ``backcare config``.

Pure: given what the run knows (options, environment, config file, layers and
the region chosen), it lists each setting once, with its origin.
"""

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from backcare.models import Layer
from backcare.query.region import Chosen

_LAYER_ORIGINS = {
    "user": "your data folder",
    "config": "the config file",
    "BACKCARE_CONTENT": "BACKCARE_CONTENT",
    "--content": "--content",
}


class Setting(NamedTuple):
    """One setting: its name, its value as shown, and where the value came from."""

    name: str
    value: str
    origin: str


def settings_in_effect(
    chosen: Chosen,
    color: tuple[str, str],
    pager: tuple[str, str],
    layers: Sequence[Layer],
    config_path: str,
    config_exists: bool,
) -> list[Setting]:
    """Every setting with its origin: region, colour, pager, content folders, config file."""
    region = chosen.region
    rows = [
        Setting("region", f"{region.id} ({region.name})", chosen.origin),
        Setting("emergency", f"call {region.emergency}", f"region {region.id}"),
        Setting("urgent", region.urgent, f"region {region.id}"),
        Setting("color", *color),
        Setting("pager", *pager),
    ]
    for layer in layers:
        if layer.label == "built-in":
            continue
        from backcare.escape import shown

        state = "" if layer.exists else " (cannot be read)" if layer.problem else " (missing)"
        rows.append(
            Setting(
                "content", shown(layer.path) + state, _LAYER_ORIGINS.get(layer.label, layer.label)
            )
        )
    rows.append(
        Setting("config file", config_path, "exists" if config_exists else "not found (optional)")
    )
    return rows


def color_origin(
    option: str | None, environ: Mapping[str, str], configured: str | None
) -> tuple[str, str]:
    """The colour setting and its origin, in the order they win."""
    if option is not None:
        return option, "--color"
    for name in ("NO_COLOR", "FORCE_COLOR"):
        if environ.get(name):
            return f"auto ({name} is set)", name
    if configured:
        return configured, "the config file"
    return "auto", "default"
