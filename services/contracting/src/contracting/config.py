"""Settings of the contracting service: those every service reads (``servicekit.settings``), validated at start-up."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self

from contracting import SERVICE
from servicekit.settings import BaseSettings, env_float, env_int


@dataclass(frozen=True)
class Settings(BaseSettings):
    service = SERVICE
    #: How often the consumer process's worker looks for queued rollover jobs (R3).
    rollover_poll_seconds: float = 1.0
    #: A collection copy of more status rows than this runs as a job in the worker (issue 15); smaller: at once.
    copy_job_rows: int = 50_000

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
        env = os.environ if env is None else env
        poll = env_float(env, "ROLLOVER_POLL_SECONDS", 1.0, minimum=0.01)
        copy_job_rows = env_int(env, "COPY_JOB_ROWS", 50_000)
        return dataclasses.replace(super().from_env(env), rollover_poll_seconds=poll, copy_job_rows=copy_job_rows)
