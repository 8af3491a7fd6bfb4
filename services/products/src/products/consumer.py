"""Event consumer process: ``python -m products.consumer``."""

from products.bootstrap import bootstrap
from servicekit.runtime import run_consumers


def main() -> None:
    runtime = bootstrap()
    run_consumers(runtime.settings, runtime.engine, runtime.subscriptions)


if __name__ == "__main__":
    main()
