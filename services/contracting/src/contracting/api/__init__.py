"""HTTP resources of the contracting service; routes only translate."""

from servicekit.api import Blueprint


def blueprints() -> list[Blueprint]:
    from contracting.api.collections.routes import blp as collections
    from contracting.api.spreadsheets.routes import blp as spreadsheets
    from contracting.api.statuses.routes import across
    from contracting.api.statuses.routes import blp as statuses
    from contracting.api.tools.routes import blp as tools
    from contracting.api.tools.routes import products as product_tools
    from contracting.api.years.routes import blp as years

    return [collections, statuses, across, spreadsheets, years, tools, product_tools]
