"""backcare: a command-line self-care guide for back spasms."""

__version__ = "0.1.0"
