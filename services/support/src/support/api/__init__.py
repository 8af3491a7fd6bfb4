"""HTTP resources of the support service; routes only translate."""

from servicekit.api import Blueprint
from support.api.notifications.routes import blp as notifications
from support.api.reports.routes import blp as reports
from support.api.requests.routes import blp as requests


def blueprints() -> list[Blueprint]:
    return [reports, requests, notifications]
