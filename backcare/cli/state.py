"""The run's state: its environment, output, settings and content; free of Typer.

Both the Typer commands and the quick path (``backcare.cli.quick``) run on a
``State``; nothing here parses arguments.
"""

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from backcare.errors import ContentError, ExitStatus, UsageError
from backcare.models import Catalog, Layer, Level
from backcare.output import ColorChoice, Environment, Output

if TYPE_CHECKING:
    from datetime import datetime

    from backcare.query.region import Chosen
    from backcare.settings import Config

LEVEL_EXIT: dict[Level | None, ExitStatus] = {
    None: ExitStatus.OK,
    Level.SOON: ExitStatus.SEE_A_DOCTOR_SOON,
    Level.URGENT: ExitStatus.URGENT,
    Level.EMERGENCY: ExitStatus.EMERGENCY,
}


class State:
    """What one run knows: its environment, its output, and its content layers."""

    def __init__(self, env: Environment, out: Output) -> None:
        self.env = env
        self.out = out
        self.content_dirs: list[Path] = []
        self.region_option: str | None = None  # --region, when given
        self.color_option: str | None = None  # --color, when given
        # The exit code a command has settled on before it writes its output, so
        # that a reader closing the pipe early cannot turn an emergency into 0.
        self.pending_exit = ExitStatus.OK
        self._catalog: Catalog | None = None
        self._config: Config | None = None
        self._region: Chosen | None = None
        self._warned: set[str] = set()

    def warn(self, message: str) -> None:
        """Say something the user should know on stderr, once per run."""
        if message not in self._warned:
            self._warned.add(message)
            self.out.note(f"backcare: warning: {message}")

    def start_output(self, color: ColorChoice | None = None, *, pager: bool = True) -> None:
        """Open this run's output: the colour asked for, else the config file's, else auto."""
        json_requested = self.out.json_requested
        self.out = Output(self.env, color or self._configured_color(), pager=pager)
        self.out.json_requested = json_requested
        self.color_option = color.value if color else None

    def _configured_color(self) -> ColorChoice:
        """The config file's colour, unless NO_COLOR or FORCE_COLOR says otherwise.

        A broken config file leaves the default here; the command that needs the file
        reports the problem (and screening goes on regardless).
        """
        environ = self.env.environ
        if environ.get("NO_COLOR") or environ.get("FORCE_COLOR"):
            return ColorChoice.AUTO
        config = self.config()
        value = config.values.get("color") if config.error is None else None
        return ColorChoice(value) if value else ColorChoice.AUTO

    def config(self) -> "Config":
        """The config file's settings, read once per run and only when asked for."""
        if self._config is None:
            from backcare.settings import read_config

            self._config = read_config(self.env.environ)
        return self._config

    def layers(self) -> list[Layer]:
        """The content layers for this run, in order; a broken config file is an error.

        Says once if there is no home folder.
        """
        from backcare import memo
        from backcare.paths import content_layers, without_home
        from backcare.settings import content_folders

        notice = without_home(self.env.environ)
        if notice:
            self.warn(notice)

        config = self.config()
        if config.error is not None:
            raise config.error
        layers = content_layers(self.env.environ, self.content_dirs, content_folders(config))
        memo.note_layers([layer.path for layer in layers])
        return layers

    def catalog(self) -> Catalog:
        """The merged content for the region in effect, loaded once per run."""
        if self._catalog is None:
            from backcare.cache import load_catalog_cached

            self._use(load_catalog_cached(self.layers(), self.env.environ, self.warn))
            from backcare.launch import settle

            settle()
        assert self._catalog is not None
        return self._catalog

    def region(self) -> "Chosen":
        """The region in effect and where the choice came from (loads the content)."""
        self.catalog()
        assert self._region is not None
        return self._region

    def _use(self, raw: Catalog, chosen: "Chosen | None" = None) -> None:
        """Settle this run's catalog: ``raw`` with the region's numbers filled in."""
        from backcare.query.region import localize

        self._region = chosen or self._choose_region(raw)
        self._catalog = localize(raw, self._region.region)
        self.out.disclaimer_text = self.disclaimer()

    def _choose_region(self, catalog: Catalog) -> "Chosen":
        """``--region``, else BACKCARE_REGION, else the config file, else the locale."""
        from backcare.query.region import Chosen, find_region, from_locale, generic
        from backcare.settings import ENV_REGION

        if self.region_option is not None:
            return Chosen(find_region(catalog, self.region_option, "--region"), "--region")
        value = self.env.environ.get(ENV_REGION, "").strip()
        if value:
            return Chosen(find_region(catalog, value, ENV_REGION), ENV_REGION)
        config = self.config()
        if config.error is not None:
            raise config.error
        if "region" in config.values:
            where = f"the config file {config.where('region')}"
            found = find_region(catalog, config.values["region"], where)
            return Chosen(found, f"config file ({config.where('region')})")
        inferred = from_locale(catalog, self.env.environ)
        if inferred is not None:
            return inferred._replace(origin=f"locale ({inferred.origin})")
        return Chosen(generic(catalog), "default (no region set)")

    def region_named(self) -> bool:
        """Whether anything names a region, so the disclaimer needs the content to say it."""
        from backcare.query.region import LOCALE_VARIABLES
        from backcare.settings import ENV_REGION

        environ = self.env.environ
        return (
            self.region_option is not None
            or bool(environ.get(ENV_REGION, "").strip())
            or any("_" in environ.get(name, "") for name in LOCALE_VARIABLES)
            or self.config().exists
        )

    def disclaimer(self, *, short: bool = False) -> str:
        """The disclaimer with the region's emergency number; never fails.

        ``short`` gives the one or two lines that end a person's terminal output.
        """
        from backcare.query.region import FALLBACK
        from backcare.render.words import disclaimer, short_disclaimer

        wording = short_disclaimer if short else disclaimer
        chosen = self._region
        if chosen is None and self.region_named():
            # The disclaimer must print whatever went wrong before it: any failure
            # to load the content leaves the generic numbers, which name them all.
            with contextlib.suppress(Exception):
                chosen = self.region()
        if chosen is None:
            return wording(FALLBACK.emergency)
        inferred = chosen.origin.startswith("locale")
        return wording(chosen.region.emergency, chosen.region.name if inferred else None)

    def screening_catalog(
        self, needed: Callable[[Catalog], bool] = lambda builtin: True
    ) -> Catalog:
        """The content for warning-sign screening, which a broken extra layer cannot stop.

        Built-in warning signs cannot be replaced by other layers, so when an
        extra layer is broken, screening goes on with the built-in content alone
        and says so, rather than leave someone without the emergency card.
        ``needed(builtin)`` says whether this run screens at all; if not, the
        content error stands.
        """
        try:
            return self.catalog()
        except (ContentError, UsageError) as error:  # UsageError: the region or config file
            from backcare.cache import load_catalog_cached
            from backcare.paths import builtin_content_dir
            from backcare.query.region import Chosen, generic

            layer = Layer(label="built-in", path=str(builtin_content_dir()), exists=True)
            builtin = load_catalog_cached([layer], self.env.environ, self.warn)
            if not needed(builtin):
                raise
            self.warn(error.message)
            if isinstance(error, ContentError):
                chosen = None
                with contextlib.suppress(UsageError):
                    chosen = self._choose_region(builtin)
                self.out.note(
                    "backcare: screening goes on with the built-in warning signs only"
                    + (f"; {error.hint}" if error.hint else "")
                )
            else:
                chosen = Chosen(generic(builtin), "default, after a problem with the settings")
                self.out.note(
                    "backcare: screening goes on with the built-in warning signs and the"
                    " emergency numbers of several regions"
                )
            self._use(builtin, chosen or Chosen(generic(builtin), "default"))
            assert self._catalog is not None
            return self._catalog


def moment() -> "tuple[datetime, int]":
    """Now in UTC, and the local offset from UTC in minutes: when a diary record is made."""
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    offset = now.astimezone().utcoffset()
    return now, int(offset.total_seconds() // 60) if offset else 0
