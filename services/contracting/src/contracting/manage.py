"""Explicit steps: ``python -m contracting.manage migrate | seed-demo | dead-letters P | replay P | republish``.

``republish [--collection ID ...]``: emit the publication state (R17) of every (or these) collection(s)
anew, so that the products service can rebuild its read model from scratch.
"""

import argparse
import sys

from contracting import SERVICE
from contracting.bootstrap import SERVICE_ROOT, bootstrap
from contracting.config import Settings
from contracting.demo import seed_demo
from contracting.integration.inbound import subscriptions
from servicekit.cli import ServiceCommands

COMMANDS = ServiceCommands(SERVICE, SERVICE_ROOT, Settings.from_env, subscriptions, bootstrap, seed_demo)
migrate = COMMANDS.migrate


def republish(argv: list[str]) -> None:
    from contracting.service_layer.publication import republish as republish_collections

    parser = argparse.ArgumentParser(prog=f"{SERVICE}.manage republish")
    parser.add_argument("--collection", action="append", dest="collections")
    args = parser.parse_args(argv)
    counts = republish_collections(bootstrap(Settings.from_env()).unit_of_work(), args.collections)
    print(f"republished {sum(counts.values())} institution(s) in {len(counts)} collection(s)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["republish"]:
        republish(sys.argv[2:])
    else:
        COMMANDS.main()
