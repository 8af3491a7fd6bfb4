"""HTTP resources of the products service; routes only translate."""

from servicekit.api import Blueprint


def blueprints() -> list[Blueprint]:
    from products.api.companies.routes import blp as companies
    from products.api.links.routes import blp as links
    from products.api.products.routes import blp as products
    from products.api.products.routes import collections
    from products.api.publication_dates.routes import blp as publication_dates

    return [companies, products, collections, links, publication_dates]
