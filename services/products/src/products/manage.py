"""Explicit steps: ``python -m products.manage migrate`` (schema + broker topology), ``dead-letters``."""

from __future__ import annotations

import argparse
import json

from alembic import command

from servicekit.messaging.deadletters import DeadLetterQueue
from servicekit.runtime import declare_topology

from products.bootstrap import alembic_config, bootstrap
from products.demo import seed_demo
from products.config import Settings
from products.integration.inbound import subscriptions


def migrate(settings: Settings, *, topology: bool = True) -> None:
    command.upgrade(alembic_config(settings.database_url), "head")
    if topology:
        declare_topology(settings, subscriptions())


def dead_letter_queues(settings: Settings) -> dict[str, DeadLetterQueue]:
    prefix, url = settings.messaging.queue_prefix, settings.messaging.amqp_url
    return {
        s.purpose: DeadLetterQueue(url, s.queue_spec.name(prefix), s.queue_spec.dead_letter_name(prefix))
        for s in subscriptions()
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="products.manage")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="alembic upgrade head, then declare the broker topology")
    sub.add_parser("seed-demo", help="load the demo data (idempotent)")
    listing = sub.add_parser("dead-letters", help="list dead letters of a purpose")
    listing.add_argument("purpose")
    replay = sub.add_parser("replay", help="replay dead letters (all, or --id ...) of a purpose")
    replay.add_argument("purpose")
    replay.add_argument("--id", action="append", dest="ids")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "migrate":
        migrate(settings)
    elif args.command == "seed-demo":
        seed_demo(bootstrap(settings))
    elif args.command == "dead-letters":
        letters = dead_letter_queues(settings)[args.purpose].list()
        print(json.dumps([letter.to_dict() for letter in letters], indent=2, ensure_ascii=False))
    else:
        count = dead_letter_queues(settings)[args.purpose].replay(set(args.ids) if args.ids else None)
        print(f"replayed {count}")


if __name__ == "__main__":
    main()
