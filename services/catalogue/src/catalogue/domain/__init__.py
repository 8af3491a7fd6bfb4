"""Pure domain of the catalogue: rules, commands, event payloads. No Flask, SQLAlchemy or kombu."""
