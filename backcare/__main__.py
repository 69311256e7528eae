"""Allow ``python -m backcare``."""

from backcare.launch import main

if __name__ == "__main__":
    main()
