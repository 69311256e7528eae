"""Load the catalog (a parsed-content cache may sit here later)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from backcare.content import load_catalog
from backcare.models import Catalog, Layer


def load_catalog_cached(layers: Sequence[Layer], environ: Mapping[str, str]) -> Catalog:
    """Load ``layers`` into a catalog."""
    return load_catalog(layers)
