"""R15: the three kinds of data change request and their proposed data, checked against the catalogue.

The support service keeps its own copy of the catalogue (fed by catalogue events); the proposal is
checked against it when the request is submitted and again when the maintainer corrects or approves
it. A proposal is a plain dict (stored as JSON, sent in the approval event) with the fields of its
kind only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from servicekit.exceptions import Conflict, InvalidInput
from support.domain.model import MAX_TEXT, agb_code, email_address, optional_text, phone_number, postcode, required_text


class RequestKind(StrEnum):
    NEW_INSTITUTION = "new_institution"  # "Ziekenhuis of kliniek"
    NEW_CONDITION = "new_condition"  # "Aandoening of behandeling"
    OFFERING_CHANGE = "offering_change"  # "Wijziging in het behandelaanbod"


#: the institution types a new "ziekenhuis of kliniek" may have (the catalogue's names)
INSTITUTION_TYPES = ("general_hospital", "top_clinical_hospital", "university_medical_centre", "zbc")
CONTRACT_STATUSES = ("NOT_CONTRACTED", "IN_NEGOTIATION", "PARTIAL", "FULL")

#: the proposal fields of each kind; any other proposal field is refused
KIND_FIELDS: dict[RequestKind, tuple[str, ...]] = {
    RequestKind.NEW_INSTITUTION: (
        "name",
        "agb_code",
        "type",
        "address",
        "postcode",
        "city",
        "email",
        "phone",
        "specialism_id",
        "condition_id",
    ),
    RequestKind.NEW_CONDITION: ("condition_name", "specialism_id", "institution_ids"),
    RequestKind.OFFERING_CHANGE: (
        "institution_id",
        "add_specialism_ids",
        "add_condition_ids",
        "remove_specialism_ids",
        "remove_condition_ids",
    ),
}
ALL_PROPOSAL_FIELDS = tuple(dict.fromkeys(f for fields in KIND_FIELDS.values() for f in fields))


@dataclass(frozen=True)
class KnownItem(ABC):
    """An item of the catalogue copy as the checks see it: its id, its name (for messages), and whether it is
    ``gone`` (closed or retired: no request may name it any more)."""

    id: str
    name: str

    @property
    @abstractmethod
    def gone(self) -> bool: ...


@dataclass(frozen=True)
class KnownInstitution(KnownItem):
    closed: bool

    @property
    def gone(self) -> bool:
        return self.closed


@dataclass(frozen=True)
class KnownSubject(KnownItem):
    """A specialism or condition of the catalogue copy (``specialism_id`` is set for a condition)."""

    retired: bool
    specialism_id: str | None = None

    @property
    def gone(self) -> bool:
        return self.retired


Known = TypeVar("Known", bound=KnownItem)


class CatalogueView(Protocol):
    """What the checks read from the local catalogue copy."""

    def institution(self, institution_id: str) -> KnownInstitution | None: ...
    def institution_with_agb(self, agb: str) -> KnownInstitution | None: ...
    def specialism(self, specialism_id: str) -> KnownSubject | None: ...
    def condition(self, condition_id: str) -> KnownSubject | None: ...
    def condition_named(self, specialism_id: str, name: str) -> KnownSubject | None: ...


def request_kind(raw: object) -> RequestKind:
    try:
        return RequestKind(str(raw))
    except ValueError:
        choices = ", ".join(k.value for k in RequestKind)
        raise InvalidInput(f"Kies het soort verzoek: {choices}.", field="kind", rule="R15") from None


def _refuse_foreign_fields(kind: RequestKind, raw: Mapping[str, Any]) -> None:
    foreign = [f for f in ALL_PROPOSAL_FIELDS if f not in KIND_FIELDS[kind] and raw.get(f) not in (None, "", [])]
    if foreign:
        reason = "Dit veld hoort niet bij dit soort verzoek."
        raise InvalidInput(reason, {f: [f"R15: {reason}"] for f in foreign})


def _in_catalogue(raw: object, field: str, noun: str, find: Callable[[str], Known | None], gone: str) -> Known:
    """R15: the ``noun`` whose id ``raw`` is, known to the catalogue copy and not ``gone`` (retired, closed)."""
    subject_id = required_text(raw, field, "R15", label=f"Een {noun.lower()}")
    found = find(subject_id)
    if found is None:
        raise InvalidInput(f"{noun} {subject_id} is onbekend in de catalogus.", field=field, rule="R15")
    if found.gone:
        raise InvalidInput(f"{noun} {found.name} is {gone}.", field=field, rule="R15")
    return found


def _specialism(view: CatalogueView, raw: object, field: str) -> str:
    return _in_catalogue(raw, field, "Specialisme", view.specialism, "vervallen").id


def _condition(view: CatalogueView, raw: object, field: str, specialism_id: str | None = None) -> KnownSubject:
    found = _in_catalogue(raw, field, "Aandoening", view.condition, "vervallen")
    if specialism_id is not None and found.specialism_id != specialism_id:
        reason = f"Aandoening {found.name} hoort niet bij het gekozen specialisme."
        raise InvalidInput(reason, field=field, rule="R15")
    return found


def _open_institution(view: CatalogueView, raw: object, field: str) -> str:
    return _in_catalogue(raw, field, "Instelling", view.institution, "gesloten").id


def _ids(raw: object, field: str) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        raise InvalidInput("Verwacht een lijst.", field=field, rule="R15")
    return list(dict.fromkeys(str(item) for item in raw))


def _new_institution(raw: Mapping[str, Any], view: CatalogueView) -> dict[str, Any]:
    agb = agb_code(raw.get("agb_code"))
    existing = view.institution_with_agb(agb)
    if existing is not None:
        raise Conflict(f"AGB-code {agb} bestaat al in de catalogus ({existing.name}).", field="agb_code", rule="R15")
    kind = raw.get("type") or INSTITUTION_TYPES[0]
    if kind not in INSTITUTION_TYPES:
        raise InvalidInput(f"Kies een soort instelling: {', '.join(INSTITUTION_TYPES)}.", field="type", rule="R15")
    specialism_id = _specialism(view, raw.get("specialism_id"), "specialism_id")
    return {
        "name": required_text(raw.get("name"), "name", "R15", label="De naam"),
        "agb_code": agb,
        "type": kind,
        "address": optional_text(raw.get("address"), "address", "R15", label="Het adres"),
        "postcode": postcode(raw.get("postcode")),
        "city": optional_text(raw.get("city"), "city", "R15", label="De plaats"),
        "email": email_address(raw.get("email"), "email", "R15", required=False),
        "phone": phone_number(raw.get("phone")),
        "specialism_id": specialism_id,
        "condition_id": _condition(view, raw.get("condition_id"), "condition_id", specialism_id).id,
    }


def _new_condition(raw: Mapping[str, Any], view: CatalogueView) -> dict[str, Any]:
    name = " ".join(required_text(raw.get("condition_name"), "condition_name", "R15", label="De naam").split())
    specialism_id = _specialism(view, raw.get("specialism_id"), "specialism_id")
    existing = view.condition_named(specialism_id, name)
    if existing is not None and not existing.retired:
        raise Conflict(
            f"Dit specialisme heeft al een aandoening {existing.name!r}.", field="condition_name", rule="R15"
        )
    institution_ids = _ids(raw.get("institution_ids"), "institution_ids")
    if not institution_ids:
        reason = "Noem minstens één instelling waar deze aandoening is gecontracteerd."
        raise InvalidInput(reason, field="institution_ids", rule="R15")
    for position, institution_id in enumerate(institution_ids):
        _open_institution(view, institution_id, f"institution_ids.{position}")
    return {"condition_name": name, "specialism_id": specialism_id, "institution_ids": institution_ids}


def _offering_change(raw: Mapping[str, Any], view: CatalogueView) -> dict[str, Any]:
    proposal: dict[str, Any] = {"institution_id": _open_institution(view, raw.get("institution_id"), "institution_id")}
    for field in KIND_FIELDS[RequestKind.OFFERING_CHANGE][1:]:
        proposal[field] = _ids(raw.get(field), field)
        for position, subject_id in enumerate(proposal[field]):
            where = f"{field}.{position}"
            if "specialism" in field:
                _specialism(view, subject_id, where)
            else:
                _condition(view, subject_id, where)
    if not any(proposal[field] for field in KIND_FIELDS[RequestKind.OFFERING_CHANGE][1:]):
        reason = "Noem minstens één specialisme of aandoening om toe te voegen of te verwijderen."
        raise InvalidInput(reason, field="add_specialism_ids", rule="R15")
    return proposal


def build_proposal(kind: RequestKind, raw: Mapping[str, Any], view: CatalogueView) -> dict[str, Any]:
    """The proposal of ``kind`` from ``raw``, checked against the catalogue copy (R15)."""
    _refuse_foreign_fields(kind, raw)
    if kind is RequestKind.NEW_INSTITUTION:
        return _new_institution(raw, view)
    if kind is RequestKind.NEW_CONDITION:
        return _new_condition(raw, view)
    return _offering_change(raw, view)


def collection_target(kind: RequestKind, collection_id: object, status: object) -> tuple[str | None, str | None]:
    """The requester's collection and the status to give the new data there (both or neither)."""
    if not collection_id and not status:
        return None, None
    if not collection_id:
        raise InvalidInput("Kies de collectie waarin deze status moet komen.", field="collection_id", rule="R15")
    if status not in CONTRACT_STATUSES:
        reason = f"Kies een contracteerstatus: {', '.join(CONTRACT_STATUSES)}."
        raise InvalidInput(reason, field="collection_status", rule="R15")
    if status == "PARTIAL" and kind is not RequestKind.NEW_INSTITUTION:
        reason = "Gedeeltelijk bestaat niet voor aandoeningen (R10); kies Niet, In onderhandeling of Volledig."
        raise InvalidInput(reason, field="collection_status", rule="R15")
    return str(collection_id), str(status)


def duplicate_key(kind: RequestKind, proposal: Mapping[str, Any]) -> str:
    """What makes two open requests the same request (the later one is linked to the earlier)."""
    if kind is RequestKind.NEW_INSTITUTION:
        return f"agb:{proposal['agb_code']}"
    if kind is RequestKind.NEW_CONDITION:
        return f"condition:{proposal['specialism_id']}:{proposal['condition_name'].casefold()}"
    return f"offering:{proposal['institution_id']}"


def explanation(raw: object) -> str | None:
    return optional_text(raw, "explanation", "R15", label="De toelichting", maximum=MAX_TEXT)
