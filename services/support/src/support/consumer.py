"""Event consumer process: ``python -m support.consumer`` (also sends the e-mails when SMTP_URL is set)."""

from servicekit.runtime import run_consumers
from support.bootstrap import bootstrap


def main() -> None:
    runtime = bootstrap()
    run_consumers(runtime.settings, runtime.engine, runtime.subscriptions, runtime.background_workers())


if __name__ == "__main__":
    main()
