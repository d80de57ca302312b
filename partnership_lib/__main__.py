"""Run the ``partnership`` command line with ``python -m partnership_lib``."""

from partnership_lib.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
