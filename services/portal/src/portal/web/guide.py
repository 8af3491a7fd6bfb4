"""Handleiding: the user guide of this portal, in its own words."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

bp = Blueprint("guide", __name__)


@bp.get("/handleiding")
def guide() -> Any:
    return render_template("guide.html")
