"""Settings of the support service: those every service reads (``servicekit.settings``), validated at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.settings import BaseSettings
from support import SERVICE


@dataclass(frozen=True)
class Settings(BaseSettings):
    service = SERVICE
