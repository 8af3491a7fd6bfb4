"""Outbox relay process: ``python -m identity.relay``."""

from servicekit.runtime import run_relay

from identity.bootstrap import bootstrap


def main() -> None:
    runtime = bootstrap()
    run_relay(runtime.settings, runtime.engine)


if __name__ == "__main__":
    main()
