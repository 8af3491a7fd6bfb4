"""Explicit steps: ``python -m products.manage migrate | seed-demo | dead-letters P | replay P``."""

from products import SERVICE
from products.bootstrap import SERVICE_ROOT, bootstrap
from products.config import Settings
from products.demo import seed_demo
from products.integration.inbound import subscriptions
from servicekit.cli import ServiceCommands

COMMANDS = ServiceCommands(SERVICE, SERVICE_ROOT, Settings.from_env, subscriptions, bootstrap, seed_demo)
migrate = COMMANDS.migrate

if __name__ == "__main__":
    COMMANDS.main()
