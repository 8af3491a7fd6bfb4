"""Commands: what a user (or the catalogue) asks contracting to do. Plain data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field

from contracting.domain.model import Level, Status


@dataclass(frozen=True)
class Actor:
    """Who acts: the insurer (tenant) and login year from the identity token, and the user."""

    insurer_id: str
    year: int
    user_id: str
    user_name: str


@dataclass(frozen=True)
class CreateCollection:
    name: str
    care_type: str
    collection_type: str
    description: str | None = None


@dataclass(frozen=True)
class UpdateCollection:
    collection_id: str
    name: str | None = None
    description: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class DeleteCollection:
    collection_id: str


@dataclass(frozen=True)
class InstitutionFilter:
    """R8: the filters of the institution listing; they combine (AND)."""

    group_id: str | None = None
    name: str | None = None
    type: str | None = None
    agb_code: str | None = None
    status: Status | None = None
    is_new: bool | None = None
    foreign: bool | None = None


@dataclass(frozen=True)
class SubFilter:
    """R9/R10: the filters of the department and condition listings (name part, status)."""

    name: str | None = None
    status: Status | None = None
    is_new: bool | None = None


@dataclass(frozen=True)
class Target:
    """Where in the tree a listing or save happens: a collection, or below one institution (and department)."""

    collection_id: str
    level: Level
    institution_id: str | None = None
    specialism_id: str | None = None


@dataclass(frozen=True)
class RowChange:
    """One row of a batch save: the row's key at its level, the new status, optionally a remark, the version read."""

    key: str
    status: Status
    version: int
    remark: str | None = None
    remark_given: bool = False


@dataclass(frozen=True)
class SaveRows:
    """R6: a batch save of rows at one level; R7/R9: ``cascade`` also sets the levels below."""

    target: Target
    rows: tuple[RowChange, ...]
    cascade: bool = False


@dataclass(frozen=True)
class ApplyToShown:
    """R5: one status for every row the listing's filter shows, applied server-side."""

    target: Target
    status: Status
    filter: InstitutionFilter | SubFilter = field(default_factory=SubFilter)
    cascade: bool = False
    if_match: int | None = None


@dataclass(frozen=True)
class SaveInstitutionAcrossCollections:
    """R12: change one institution in several of the insurer's collections of the year at once.

    A row per collection: its ``key`` is the collection's id, the rest the institution's row change there.
    """

    institution_id: str
    rows: tuple[RowChange, ...]
    cascade: bool = False


@dataclass(frozen=True)
class StartRollover:
    """R3: open ``from_year + 1`` pre-filled from ``from_year``, for one insurer or (``None``) all."""

    from_year: int
    insurer_id: str | None
    requested_by: str


@dataclass(frozen=True)
class CopyCollection:
    """ "Kopiëren contracteercollectie": a new collection of the same insurer and year from an existing one."""

    source_collection_id: str
    name: str
    collection_type: str
    description: str | None = None
    with_remarks: bool = False
