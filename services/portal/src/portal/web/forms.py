"""A form that only asks the API to do one thing: the call, and the Dutch outcome as a flashed message."""

from __future__ import annotations

from typing import Any

from flask import flash

from portal.adapters.gateway import ApiError
from portal.web import pages


def submit(method: str, path: str, json: Any, done: str, refused: tuple[int, ...] = (409, 422)) -> bool:
    """Call the API; flash ``done``, or the API's own Dutch message when it refuses with a status in ``refused``.

    Any other error goes on to the portal's error page. True when the API did it.
    """
    try:
        pages.api().call(method, path, json=json)
    except ApiError as exc:
        if exc.status not in refused:
            raise
        flash(exc.message, "error")
        return False
    flash(done, "success")
    return True
