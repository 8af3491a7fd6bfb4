"""Explicit steps: ``python -m support.manage migrate | seed-demo | dead-letters P | replay P``."""

from servicekit.cli import ServiceCommands
from support import SERVICE
from support.bootstrap import SERVICE_ROOT, bootstrap
from support.config import Settings
from support.demo import seed_demo
from support.integration.inbound import subscriptions

COMMANDS = ServiceCommands(SERVICE, SERVICE_ROOT, Settings.from_env, subscriptions, bootstrap, seed_demo)
migrate = COMMANDS.migrate

if __name__ == "__main__":
    COMMANDS.main()
