"""Explicit steps: ``python -m identity.manage migrate | seed-demo | dead-letters P | replay P``."""

from identity import SERVICE
from identity.bootstrap import SERVICE_ROOT, bootstrap
from identity.config import Settings
from identity.demo import seed_demo
from identity.integration.inbound import subscriptions
from servicekit.cli import ServiceCommands

COMMANDS = ServiceCommands(SERVICE, SERVICE_ROOT, Settings.from_env, subscriptions, bootstrap, seed_demo)
migrate = COMMANDS.migrate

if __name__ == "__main__":
    COMMANDS.main()
