"""Outbox relay process: ``python -m contracting.relay``."""

from contracting.bootstrap import bootstrap
from servicekit.runtime import run_relay


def main() -> None:
    runtime = bootstrap()
    run_relay(runtime.settings, runtime.engine)


if __name__ == "__main__":
    main()
