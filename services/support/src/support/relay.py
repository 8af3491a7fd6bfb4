"""Outbox relay process: ``python -m support.relay``."""

from servicekit.runtime import run_relay
from support.bootstrap import bootstrap


def main() -> None:
    runtime = bootstrap()
    run_relay(runtime.settings, runtime.engine)


if __name__ == "__main__":
    main()
