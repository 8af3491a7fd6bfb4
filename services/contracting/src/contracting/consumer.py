"""Event consumer process: ``python -m contracting.consumer`` (also runs the rollover jobs, R3)."""

from contracting.bootstrap import bootstrap
from servicekit.runtime import run_consumers


def main() -> None:
    runtime = bootstrap()
    run_consumers(runtime.settings, runtime.engine, runtime.subscriptions, runtime.background_workers())


if __name__ == "__main__":
    main()
