"""HTTP resources of the catalogue service; routes only translate."""

from servicekit.api import Blueprint


def blueprints() -> list[Blueprint]:
    from catalogue.api.conditions.routes import blp as conditions
    from catalogue.api.groups.routes import blp as groups
    from catalogue.api.institutions.routes import blp as institutions
    from catalogue.api.specialisms.routes import blp as specialisms

    return [institutions, groups, specialisms, conditions]
