"""The portal's screens, one blueprint per part of the user guide; views only translate (form -> API -> page)."""

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    from portal.web import auth, collections, guide, institutions, rollover, statuses

    return [auth.bp, collections.bp, statuses.bp, institutions.bp, rollover.bp, guide.bp]
