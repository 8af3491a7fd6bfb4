"""Explicit steps: ``python -m contracting.manage migrate | seed-demo | dead-letters P | replay P``."""

from contracting import SERVICE
from contracting.bootstrap import SERVICE_ROOT, bootstrap
from contracting.config import Settings
from contracting.demo import seed_demo
from contracting.integration.inbound import subscriptions
from servicekit.cli import ServiceCommands

COMMANDS = ServiceCommands(SERVICE, SERVICE_ROOT, Settings.from_env, subscriptions, bootstrap, seed_demo)
migrate = COMMANDS.migrate

if __name__ == "__main__":
    COMMANDS.main()
