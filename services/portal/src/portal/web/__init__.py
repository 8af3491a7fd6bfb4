"""The portal's screens, one blueprint per part of the user guide; views only translate (form -> API -> page)."""

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    from portal.web import (
        administration,
        auth,
        catalogue_admin,
        collections,
        companies,
        guide,
        institutions,
        maintenance,
        platform_years,
        products,
        publication_dates,
        rollover,
        statuses,
        support,
        tools,
    )

    return [
        auth.bp,
        collections.bp,
        statuses.bp,
        institutions.bp,
        products.bp,
        rollover.bp,
        support.bp,
        maintenance.bp,
        administration.bp,
        catalogue_admin.bp,
        platform_years.bp,
        companies.bp,
        publication_dates.bp,
        tools.bp,
        guide.bp,
    ]
