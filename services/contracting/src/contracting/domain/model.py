"""Contract statuses, levels and the rules that tie them together (R5-R11 of docs/domain.md)."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from contracting.domain.exceptions import InvalidInput


class Status(enum.StrEnum):
    NOT_CONTRACTED = "NOT_CONTRACTED"
    IN_NEGOTIATION = "IN_NEGOTIATION"
    PARTIAL = "PARTIAL"
    FULL = "FULL"


class Level(enum.StrEnum):
    INSTITUTION = "institution"
    DEPARTMENT = "department"
    CONDITION = "condition"


STATUS_LABELS: dict[Status, str] = {
    Status.NOT_CONTRACTED: "Niet",
    Status.IN_NEGOTIATION: "In onderhandeling",
    Status.PARTIAL: "Gedeeltelijk",
    Status.FULL: "Volledig",
}
LEVEL_LABELS: dict[Level, str] = {
    Level.INSTITUTION: "instelling",
    Level.DEPARTMENT: "afdeling",
    Level.CONDITION: "aandoening",
}

#: Which statuses exist at which level (docs/domain.md table; R10: no PARTIAL for conditions).
ALLOWED: dict[Level, frozenset[Status]] = {
    Level.INSTITUTION: frozenset(Status),
    Level.DEPARTMENT: frozenset(Status),
    Level.CONDITION: frozenset({Status.NOT_CONTRACTED, Status.IN_NEGOTIATION, Status.FULL}),
}

#: The levels below a level, deepest first (the order in which a cascade is applied).
BELOW: dict[Level, tuple[Level, ...]] = {
    Level.INSTITUTION: (Level.CONDITION, Level.DEPARTMENT),
    Level.DEPARTMENT: (Level.CONDITION,),
    Level.CONDITION: (),
}

#: R16: the status a new row gets; FULL only where its parent is FULL.
DEFAULT_STATUS = Status.NOT_CONTRACTED

COLLECTION_TYPES: dict[str, str] = {"basic": "Basis", "selective": "Selectief", "restitution": "Restitutie"}
CARE_TYPES: dict[str, str] = {"hospital": "Ziekenhuis"}

INSTITUTION_TYPES = (
    "general_hospital",
    "top_clinical_hospital",
    "university_medical_centre",
    "zbc",
    "edc",
    "dialysis_centre",
    "epilepsy_centre",
    "proton_therapy_centre",
    "rehabilitation_centre",
    "thrombosis_service",
    "audiological_centre",
    "radiological_centre",
    "clinical_genetic_centre",
    "foreign_hospital",
)
FOREIGN_TYPE = "foreign_hospital"


def parse_status(value: str, *, field: str = "status") -> Status:
    """A status from its code or its Dutch label (spreadsheets use the labels)."""
    text = (value or "").strip()
    for status in Status:
        if text.upper() == status.value or text.lower() == STATUS_LABELS[status].lower():
            return status
    raise InvalidInput(
        f"Onbekende contracteerstatus '{value}'; kies uit {', '.join(STATUS_LABELS.values())}.", field=field, rule="R5"
    )


def check_status_allowed(level: Level, status: Status, *, field: str = "status") -> None:
    """R10: 'Gedeeltelijk' (PARTIAL) does not exist at condition level."""
    if status not in ALLOWED[level]:
        raise InvalidInput(
            f"De status '{STATUS_LABELS[status]}' bestaat niet op {LEVEL_LABELS[level]}sniveau; "
            "kies Niet, In onderhandeling of Volledig.",
            field=field,
            rule="R10",
        )


def check_cascade(level: Level, status: Status, *, field: str = "cascade") -> tuple[Level, ...]:
    """R7/R9: the levels a cascade of ``status`` from ``level`` changes, deepest first.

    NOT_CONTRACTED and FULL cascade as the seed says; IN_NEGOTIATION may cascade (the seed is
    silent, every level knows it); PARTIAL is refused because conditions have no PARTIAL.
    """
    below = BELOW[level]
    if not below:
        raise InvalidInput("Onder aandoeningsniveau ligt niets om door te zetten.", field=field, rule="R10")
    for target in below:
        if status not in ALLOWED[target]:
            raise InvalidInput(
                f"'{STATUS_LABELS[status]}' kan niet worden doorgezet naar de onderliggende niveaus: "
                "op aandoeningsniveau bestaat 'Gedeeltelijk' niet. Sla op zonder doorzetten, of kies Niet, "
                "In onderhandeling of Volledig.",
                field=field,
                rule="R7" if level is Level.INSTITUTION else "R9",
            )
    return below


def check_rows(level: Level, keys: Sequence[str], statuses: Sequence[Status], *, cascade: bool) -> tuple[Level, ...]:
    """R6 and R10 per row of a batch save, and R7/R9 once: the levels the save cascades to (deepest first).

    Every row's status exists at ``level``, no row comes twice, and with ``cascade`` every status
    saved may cascade; without it nothing below changes, so the answer is empty.
    """
    if not keys:
        raise InvalidInput("Geen rijen om op te slaan.", field="rows", rule="R6")
    seen: set[str] = set()
    for i, (key, status) in enumerate(zip(keys, statuses, strict=True)):
        check_status_allowed(level, status, field=f"rows.{i}.status")
        if key in seen:
            raise InvalidInput("Deze rij komt twee keer voor in dezelfde opslag.", field=f"rows.{i}", rule="R6")
        seen.add(key)
    if not cascade:
        return ()
    below = BELOW[level]
    for status in dict.fromkeys(statuses):
        below = check_cascade(level, status)
    return below


def is_foreign(country: str | None, institution_type: str | None) -> bool:
    """R11: foreign hospitals (Belgium, Germany) are contracted at institution level only.

    Its SQL form is ``adapters.scopes.foreign_clause``; one table of cases tests both.
    """
    return (country or "NL") != "NL" or institution_type == FOREIGN_TYPE


def check_level_for_institution(level: Level, *, country: str | None, institution_type: str | None, name: str) -> None:
    """R11: refuse department and condition level for a foreign hospital."""
    if level is not Level.INSTITUTION and is_foreign(country, institution_type):
        raise InvalidInput(
            f"{name} is een buitenlands ziekenhuis; dat contracteert u alleen op instellingsniveau, "
            "niet per afdeling of aandoening.",
            field="institution_id",
            rule="R11",
        )


def default_status_below(parent_status: str | None) -> Status:
    """R16: a new department/condition is FULL where its parent is FULL, NOT_CONTRACTED otherwise."""
    return Status.FULL if parent_status == Status.FULL else DEFAULT_STATUS


def check_collection_fields(*, name: str, care_type: str, collection_type: str) -> None:
    """R4: a collection has a name, a care type and a collection type from the maintained lists."""
    if not name or not name.strip():
        raise InvalidInput("Geef de collectie een naam.", field="name", rule="R4")
    if len(name.strip()) > 200:
        raise InvalidInput("De naam is te lang (maximaal 200 tekens).", field="name", rule="R4")
    if care_type not in CARE_TYPES:
        raise InvalidInput(
            f"Onbekend zorgtype '{care_type}'; kies uit {', '.join(CARE_TYPES)}.", field="care_type", rule="R4"
        )
    if collection_type not in COLLECTION_TYPES:
        raise InvalidInput(
            f"Onbekend collectietype '{collection_type}'; kies uit {', '.join(COLLECTION_TYPES)}.",
            field="collection_type",
            rule="R4",
        )
