"""Allow ``python -m backcare``."""

from backcare.cli import main

if __name__ == "__main__":
    main()
