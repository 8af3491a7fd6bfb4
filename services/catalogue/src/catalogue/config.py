"""Settings of the catalogue service: those every service reads (``servicekit.settings``), validated at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue import SERVICE
from servicekit.settings import BaseSettings


@dataclass(frozen=True)
class Settings(BaseSettings):
    service = SERVICE
