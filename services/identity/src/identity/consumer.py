"""Event consumer process: ``python -m identity.consumer`` (also purges ended sessions periodically)."""

from identity.bootstrap import bootstrap
from servicekit.runtime import run_consumers


def main() -> None:
    runtime = bootstrap()
    run_consumers(runtime.settings, runtime.engine, runtime.subscriptions, runtime.background_workers())


if __name__ == "__main__":
    main()
