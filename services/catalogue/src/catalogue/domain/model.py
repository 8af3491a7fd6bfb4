"""The catalogue's rules: institutions, groups, specialisms, conditions and offerings.

Values arrive as plain Python (from the API after type parsing, or as CSV text); the functions here
normalise them and collect *every* problem per field, so that callers can report them all at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, Self, TypeVar

from catalogue.domain.exceptions import Conflict, InvalidInput, RuleViolation

HOSPITAL_TYPES = ("general_hospital", "top_clinical_hospital", "university_medical_centre")
CATEGORICAL_TYPES = (
    "edc",
    "dialysis_centre",
    "epilepsy_centre",
    "proton_therapy_centre",
    "rehabilitation_centre",
    "thrombosis_service",
    "audiological_centre",
    "radiological_centre",
    "clinical_genetic_centre",
)
#: Every type, in the order of the event schema's enum (``tests/contract`` holds them equal).
INSTITUTION_TYPES: tuple[str, ...] = (*HOSPITAL_TYPES, "zbc", *CATEGORICAL_TYPES, "foreign_hospital")
FOREIGN_HOSPITAL = "foreign_hospital"
COUNTRIES: tuple[str, ...] = ("NL", "BE", "DE")
FOREIGN_COUNTRIES = ("BE", "DE")
GROUP_KINDS: tuple[str, ...] = ("hospital_organisation", "other")

AGB_LENGTH = 8
_DIGITS = re.compile(r"^\d+$")
_SPECIALISM_CODE = re.compile(r"^\d{4}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,19}$")
_NL_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
_FOREIGN_POSTCODE = re.compile(r"^[0-9A-Za-z \-]{4,10}$")

MAX_NAME = 200
MAX_TEXT = 200

AGB_RULE = "AGB-code moet uit 8 cijfers bestaan (een ontbrekende voorloopnul wordt aangevuld)."


def normalise_agb(raw: object) -> str:
    """An AGB code as its 8-digit string.

    Some sources (spreadsheets) drop the leading zero, so a 7-digit code gets it back; anything else
    that is not exactly 8 digits is refused.
    """
    text = str(raw).strip() if raw is not None else ""
    if not _DIGITS.match(text) or len(text) not in (AGB_LENGTH - 1, AGB_LENGTH):
        raise InvalidInput(AGB_RULE, {"agb_code": [AGB_RULE]})
    return text.zfill(AGB_LENGTH)


def normalise_specialism_code(raw: object) -> str:
    text = str(raw).strip() if raw is not None else ""
    if not _SPECIALISM_CODE.match(text):
        raise InvalidInput("Vektis-specialismecode moet uit 4 cijfers bestaan, bijvoorbeeld 0301.", field="code")
    return text


def clean_name(raw: object, field: str = "name", maximum: int = MAX_NAME) -> str:
    text = " ".join(str(raw).split()) if raw is not None else ""
    if not text:
        raise InvalidInput("Naam is verplicht.", field=field)
    if len(text) > maximum:
        raise InvalidInput(f"Naam mag hoogstens {maximum} tekens lang zijn.", field=field)
    return text


def parse_date(raw: object, field: str) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidInput("Ongeldige datum; gebruik JJJJ-MM-DD.", field=field) from None


@dataclass(frozen=True)
class InstitutionData:
    """The attributes a maintainer keeps for an institution (everything except identity and life cycle)."""

    agb_code: str
    name: str
    type: str
    country: str
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    email: str | None = None
    phone: str | None = None
    group_id: str | None = None
    opened_on: date | None = None


INSTITUTION_FIELDS = tuple(f.name for f in fields(InstitutionData))


def _optional_text(raw: object) -> str | None:
    if raw is None:
        return None
    text = " ".join(str(raw).split())
    return text or None


def _check_type_and_country(kind: str | None, country: str, errors: dict[str, list[str]]) -> None:
    """A known type and country; a foreign hospital lies in BE or DE, every other institution in NL."""
    if kind not in INSTITUTION_TYPES:
        errors["type"] = [f"Onbekend instellingstype {kind!r}; kies uit: {', '.join(INSTITUTION_TYPES)}."]
    if country not in COUNTRIES:
        errors["country"] = ["Land moet NL, BE of DE zijn."]
    elif kind in INSTITUTION_TYPES:
        if kind == FOREIGN_HOSPITAL and country not in FOREIGN_COUNTRIES:
            errors["country"] = ["Een buitenlands ziekenhuis ligt in België (BE) of Duitsland (DE)."]
        elif kind != FOREIGN_HOSPITAL and country != "NL":
            errors["type"] = ["Een instelling in België of Duitsland heeft type foreign_hospital."]


def _postcode(postcode: str | None, country: str, errors: dict[str, list[str]]) -> str | None:
    """A Dutch postcode written as ``1234 AB``; a foreign one checked loosely."""
    if postcode is None:
        return None
    match = _NL_POSTCODE.match(postcode)
    if country == "NL":
        if match:
            return f"{match.group(1)} {match.group(2).upper()}"
        errors["postcode"] = ["Ongeldige Nederlandse postcode; gebruik 1234 AB."]
    elif not _FOREIGN_POSTCODE.match(postcode):
        errors["postcode"] = ["Ongeldige postcode."]
    return postcode


def build_institution_data(raw: Mapping[str, Any]) -> InstitutionData:
    """Validate and normalise every attribute; raises :class:`InvalidInput` listing all bad fields.

    References (``group_id``) are only checked for existence by the handler, which can see the data.
    """
    errors: dict[str, list[str]] = {}

    def attempt(field: str, func: Any, *args: Any) -> Any:
        try:
            return func(*args)
        except InvalidInput as exc:
            for name, reasons in (exc.errors or {field: [exc.message]}).items():
                errors.setdefault(name, []).extend(reasons)
            return None

    agb_code = attempt("agb_code", normalise_agb, raw.get("agb_code"))
    name = attempt("name", clean_name, raw.get("name"))
    kind = _optional_text(raw.get("type"))
    country = (_optional_text(raw.get("country")) or "").upper()
    _check_type_and_country(kind, country, errors)
    postcode = _postcode(_optional_text(raw.get("postcode")), country, errors)
    email = _optional_text(raw.get("email"))
    if email is not None and (not _EMAIL.match(email) or len(email) > MAX_TEXT):
        errors["email"] = ["Ongeldig e-mailadres."]
    phone = _optional_text(raw.get("phone"))
    if phone is not None and not _PHONE.match(phone):
        errors["phone"] = ["Ongeldig telefoonnummer (cijfers, spaties, +, - en haakjes; 6 tot 20 tekens)."]
    address = _optional_text(raw.get("address"))
    city = _optional_text(raw.get("city"))
    for field, value in (("address", address), ("city", city)):
        if value is not None and len(value) > MAX_TEXT:
            errors[field] = [f"Mag hoogstens {MAX_TEXT} tekens lang zijn."]
    opened_on = attempt("opened_on", parse_date, raw.get("opened_on"), "opened_on")
    group_id = _optional_text(raw.get("group_id"))
    if errors:
        raise InvalidInput("De gegevens van de instelling zijn ongeldig.", errors)
    return InstitutionData(
        agb_code=agb_code,
        name=name,
        type=kind or "",
        country=country,
        address=address,
        postcode=postcode,
        city=city,
        email=email,
        phone=phone,
        group_id=group_id,
        opened_on=opened_on,
    )


@dataclass(frozen=True)
class Institution:
    id: str
    data: InstitutionData
    revision: int
    offering_revision: int = 0
    closed_on: date | None = None
    merged_into_id: str | None = None

    @property
    def is_foreign(self) -> bool:
        return self.data.type == FOREIGN_HOSPITAL

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def change(self, data: InstitutionData, *, has_offering: bool) -> Institution | None:
        """The institution with new attributes, or None when nothing changes."""
        if data == self.data:
            return None
        if data.type == FOREIGN_HOSPITAL and has_offering:
            raise RuleViolation(
                "R11: een buitenlands ziekenhuis heeft geen behandelaanbod; verwijder eerst het aanbod.",
                {"type": ["R11: verwijder eerst het behandelaanbod voordat de instelling buitenlands wordt."]},
            )
        _check_dates(data.opened_on, self.closed_on)
        return replace(self, data=data, revision=self.revision + 1)

    def close(self, closed_on: date) -> Institution:
        if self.is_closed:
            raise Conflict(
                f"Instelling {self.data.agb_code} is al gesloten op {self.closed_on}."
            )  # a date prints as ISO
        _check_dates(self.data.opened_on, closed_on)
        return replace(self, closed_on=closed_on, revision=self.revision + 1)

    def merge_into(self, target: Institution, closed_on: date) -> Institution:
        if target.id == self.id:
            raise InvalidInput("Een instelling kan niet met zichzelf fuseren.", field="into_institution_id")
        if target.is_closed:
            raise InvalidInput(
                f"Instelling {target.data.agb_code} is gesloten; fuseer met een open instelling.",
                field="into_institution_id",
            )
        closed = self.close(closed_on)
        return replace(closed, merged_into_id=target.id)

    def check_offering_allowed(self) -> None:
        if self.is_foreign:
            raise RuleViolation(
                "R11: buitenlandse ziekenhuizen worden alleen op instellingsniveau gecontracteerd "
                "en hebben geen behandelaanbod (afdelingen of aandoeningen).",
                {"institution_id": ["R11: geen behandelaanbod voor een buitenlands ziekenhuis."]},
            )
        if self.is_closed:
            raise Conflict(f"Instelling {self.data.agb_code} is gesloten; het aanbod kan niet meer wijzigen.")


def _check_dates(opened_on: date | None, closed_on: date | None) -> None:
    if opened_on and closed_on and closed_on < opened_on:
        raise InvalidInput("Sluitingsdatum ligt vóór de openingsdatum.", field="closed_on")


@dataclass(frozen=True)
class Group:
    """A group of institutions. Retiring one is final and needs it empty: its closed institutions keep
    it (their history), an open one must first move to another group or close (409 otherwise)."""

    id: str
    name: str
    kind: str
    revision: int
    retired: bool = False

    @staticmethod
    def check_kind(kind: object) -> str:
        if kind not in GROUP_KINDS:
            raise InvalidInput(f"Onbekende groepssoort {kind!r}; kies uit: {', '.join(GROUP_KINDS)}.", field="kind")
        return str(kind)

    def change(self, name: str, kind: str) -> Group | None:
        if self.retired:
            raise Conflict(f"Groep {self.name} is vervallen en kan niet meer worden gewijzigd.")
        if (name, kind) == (self.name, self.kind):
            return None
        return replace(self, name=name, kind=kind, revision=self.revision + 1)

    def retire(self, open_institutions: int) -> Group:
        if self.retired:
            raise Conflict(f"Groep {self.name} is al vervallen.")
        if open_institutions:
            raise Conflict(
                f"Groep {self.name} heeft nog {open_institutions} open instelling(en); "
                "zet die eerst in een andere groep of sluit ze, dan kan de groep vervallen."
            )
        return replace(self, retired=True, revision=self.revision + 1)


class _Retirable:
    """Renaming and retiring, the same for a specialism and a condition: a retired one stays as it is."""

    name: str
    revision: int
    retired: bool

    def label(self) -> str:
        raise NotImplementedError

    def rename(self, name: str) -> Self | None:
        if self.retired:
            raise Conflict(f"{self.label()} is vervallen en kan niet meer worden hernoemd.")
        if name == self.name:
            return None
        return replace(self, name=name, revision=self.revision + 1)  # type: ignore[type-var]

    def retire(self) -> Self:
        if self.retired:
            raise Conflict(f"{self.label()} is al vervallen.")
        return replace(self, retired=True, revision=self.revision + 1)  # type: ignore[type-var]


#: A specialism or a condition: what an offering names.
Offerable = TypeVar("Offerable", bound=_Retirable)


@dataclass(frozen=True)
class Specialism(_Retirable):
    id: str
    code: str
    name: str
    revision: int
    retired: bool = False

    def label(self) -> str:
        return f"Specialisme {self.code}"


@dataclass(frozen=True)
class Condition(_Retirable):
    id: str
    specialism_id: str
    name: str
    revision: int
    retired: bool = False

    def label(self) -> str:
        return f"Aandoening {self.name!r}"


def check_offering(
    specialism_ids: list[str],
    condition_ids: list[str],
    specialisms: Mapping[str, Specialism],
    conditions: Mapping[str, Condition],
) -> None:
    """Every id must name an active specialism or condition, and each condition's specialism be offered."""
    offered = set(specialism_ids)

    def outside_offering(condition: Condition) -> str | None:
        if condition.specialism_id in offered:
            return None
        return f"{condition.label()} hoort bij een specialisme dat niet in het aanbod zit."

    refused = {
        "specialism_ids": _refusals(specialism_ids, specialisms, "Onbekend specialisme"),
        "condition_ids": _refusals(condition_ids, conditions, "Onbekende aandoening", outside_offering),
    }
    errors = {key: reasons for key, reasons in refused.items() if reasons}
    if errors:
        raise InvalidInput("Het behandelaanbod is ongeldig.", errors)


def _refusals(
    ids: list[str],
    found: Mapping[str, Offerable],
    unknown: str,
    rule: Callable[[Offerable], str | None] = lambda item: None,
) -> list[str]:
    """Why each of ``ids`` cannot be offered: unknown (``unknown`` and the id), retired, or ``rule``'s reason."""
    reasons: list[str] = []
    for item_id in ids:
        item = found.get(item_id)
        if item is None:
            reasons.append(f"{unknown} {item_id}.")
        elif item.retired:
            reasons.append(f"{item.label()} is vervallen.")
        elif (reason := rule(item)) is not None:
            reasons.append(reason)
    return reasons
