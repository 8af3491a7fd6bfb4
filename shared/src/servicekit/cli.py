"""The explicit operational steps every service offers as ``python -m <service>.manage``.

- ``migrate``: ``alembic upgrade head``, then declare the broker topology of its consumers;
- ``seed-demo``: load the demo data (idempotent);
- ``dead-letters <purpose>`` and ``replay <purpose> [--id ID ...]``: what a consumer gave up on.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command

from servicekit.messaging.consumer import Subscription
from servicekit.messaging.deadletters import DeadLetterQueue
from servicekit.migrations import alembic_config
from servicekit.runtime import declare_topology
from servicekit.settings import BaseSettings


@dataclass(frozen=True)
class ServiceCommands:
    service: str
    service_root: Path
    settings_from_env: Callable[[], BaseSettings]
    subscriptions: Callable[[], Sequence[Subscription]]
    bootstrap: Callable[[Any], Any]
    seed_demo: Callable[[Any], object]  # what it returns (a service may say whether it seeded) is not used

    def migrate(self, settings: BaseSettings, *, topology: bool = True) -> None:
        command.upgrade(alembic_config(self.service_root, settings.database_url), "head")
        if topology:
            declare_topology(settings, self.subscriptions())

    def dead_letter_queues(self, settings: BaseSettings) -> dict[str, DeadLetterQueue]:
        prefix, url = settings.messaging.queue_prefix, settings.messaging.amqp_url
        return {
            s.purpose: DeadLetterQueue(url, s.queue_spec.name(prefix), s.queue_spec.dead_letter_name(prefix))
            for s in self.subscriptions()
        }

    def main(self, argv: list[str] | None = None) -> None:
        parser = argparse.ArgumentParser(prog=f"{self.service}.manage", description=__doc__)
        sub = parser.add_subparsers(dest="command", required=True)
        sub.add_parser("migrate", help="alembic upgrade head, then declare the broker topology")
        sub.add_parser("seed-demo", help="load the demo data (idempotent)")
        listing = sub.add_parser("dead-letters", help="list the dead letters of a consuming purpose")
        listing.add_argument("purpose")
        replay = sub.add_parser("replay", help="replay dead letters (all, or --id ...) to their consumer")
        replay.add_argument("purpose")
        replay.add_argument("--id", action="append", dest="ids")
        args = parser.parse_args(argv)
        settings = self.settings_from_env()
        if args.command == "migrate":
            self.migrate(settings)
        elif args.command == "seed-demo":
            self.seed_demo(self.bootstrap(settings))
        else:
            queues = self.dead_letter_queues(settings)
            if args.purpose not in queues:
                parser.error(
                    f"unknown purpose {args.purpose!r}; this service consumes: {', '.join(queues) or 'nothing'}"
                )
            if args.command == "dead-letters":
                print(
                    json.dumps(
                        [letter.to_dict() for letter in queues[args.purpose].list()], indent=2, ensure_ascii=False
                    )
                )
            else:
                count = queues[args.purpose].replay(set(args.ids) if args.ids else None)
                print(f"replayed {count}")
