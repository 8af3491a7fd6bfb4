"""Settings of the contracting service, read from the environment and validated at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from contracting import SERVICE
from servicekit.settings import BaseSettings, base_settings_from_env


@dataclass(frozen=True)
class Settings(BaseSettings):
    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        base = base_settings_from_env(SERVICE, env)
        return cls(**base.__dict__)
