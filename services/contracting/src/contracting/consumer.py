"""Event consumer process: ``python -m contracting.consumer``."""

from contracting.bootstrap import bootstrap
from servicekit.runtime import run_consumers


def main() -> None:
    runtime = bootstrap()
    run_consumers(runtime.settings, runtime.engine, runtime.subscriptions)


if __name__ == "__main__":
    main()
