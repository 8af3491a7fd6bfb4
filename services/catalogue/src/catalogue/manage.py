"""Explicit steps: ``python -m catalogue.manage migrate | seed-demo | dead-letters P | replay P``."""

from catalogue import SERVICE
from catalogue.bootstrap import SERVICE_ROOT, bootstrap
from catalogue.config import Settings
from catalogue.demo import seed_demo
from catalogue.integration.inbound import subscriptions
from servicekit.cli import ServiceCommands

COMMANDS = ServiceCommands(SERVICE, SERVICE_ROOT, Settings.from_env, subscriptions, bootstrap, seed_demo)
migrate = COMMANDS.migrate

if __name__ == "__main__":
    COMMANDS.main()
