"""Event consumer process: ``python -m support.consumer``."""

from servicekit.runtime import run_consumers
from support.bootstrap import bootstrap


def main() -> None:
    runtime = bootstrap()
    run_consumers(runtime.settings, runtime.engine, runtime.subscriptions)


if __name__ == "__main__":
    main()
