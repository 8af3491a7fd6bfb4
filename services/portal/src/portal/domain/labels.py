"""Dutch words the portal shows for the APIs' codes (the APIs speak codes; people read Dutch)."""

from __future__ import annotations

#: The contract statuses in the guide's order, with the guide's labels.
STATUSES: tuple[tuple[str, str], ...] = (
    ("NOT_CONTRACTED", "Niet"),
    ("IN_NEGOTIATION", "In onderhandeling"),
    ("PARTIAL", "Gedeeltelijk"),
    ("FULL", "Volledig"),
)
STATUS_LABELS = dict(STATUSES)

#: R10: a condition is never "Gedeeltelijk".
LEVEL_STATUSES: dict[str, tuple[str, ...]] = {
    "institution": tuple(code for code, _ in STATUSES),
    "department": tuple(code for code, _ in STATUSES),
    "condition": ("NOT_CONTRACTED", "IN_NEGOTIATION", "FULL"),
    "collections": tuple(code for code, _ in STATUSES),
}

LEVEL_LABELS = {"institution": "instelling", "department": "afdeling", "condition": "aandoening"}
LEVEL_PLURALS = {"institution": "instellingen", "department": "afdelingen", "condition": "aandoeningen"}

INSTITUTION_TYPES: dict[str, str] = {
    "general_hospital": "Algemeen ziekenhuis",
    "top_clinical_hospital": "Topklinisch ziekenhuis",
    "university_medical_centre": "Universitair medisch centrum",
    "zbc": "ZBC (zelfstandig behandelcentrum)",
    "edc": "Eerstelijns diagnostisch centrum",
    "dialysis_centre": "Dialysecentrum",
    "epilepsy_centre": "Epilepsiecentrum",
    "proton_therapy_centre": "Protonentherapiecentrum",
    "rehabilitation_centre": "Revalidatiecentrum",
    "thrombosis_service": "Trombosedienst",
    "audiological_centre": "Audiologisch centrum",
    "radiological_centre": "Radiologisch centrum",
    "clinical_genetic_centre": "Klinisch-genetisch centrum",
    "foreign_hospital": "Buitenlands ziekenhuis",
}

COUNTRIES = {"NL": "Nederland", "BE": "België", "DE": "Duitsland"}

JOB_STATES = {"queued": "In de wachtrij", "running": "Bezig", "done": "Klaar", "failed": "Mislukt"}

CHANGE_KINDS = {
    "rows": "Opslaan",
    "filter": "Kopregel (alle getoonde)",
    "import": "Import",
    "catalogue": "Catalogus",
    "rollover": "Jaarovergang",
}


def status_label(code: str | None) -> str:
    return STATUS_LABELS.get(code or "", code or "—")


def type_label(code: str | None) -> str:
    return INSTITUTION_TYPES.get(code or "", code or "—")


def number(value: int | None) -> str:
    """Dutch thousands separator: 21.400."""
    return f"{value or 0:,}".replace(",", ".")


def counted(value: int, singular: str, plural: str) -> str:
    return f"{number(value)} {singular if value == 1 else plural}"


#: the kinds of institution a data change request may propose (support accepts these four)
REQUEST_INSTITUTION_TYPES = {
    code: INSTITUTION_TYPES[code]
    for code in ("general_hospital", "top_clinical_hospital", "university_medical_centre", "zbc")
}

#: the guide's words for what a data change request is about (R15)
REQUEST_KINDS = {
    "new_institution": "Ziekenhuis of kliniek",
    "new_condition": "Aandoening of behandeling",
    "offering_change": "Wijziging in het behandelaanbod",
}


def date(iso: str | None) -> str:
    """An ISO date or timestamp as a Dutch date: 2026-03-05 -> 5-3-2026."""
    if not iso:
        return "—"
    year, month, day = iso[:10].split("-")
    return f"{int(day)}-{int(month)}-{year}"


def moment(iso: str | None) -> str:
    """An ISO timestamp as Dutch date and time (minutes): 5-3-2026 14:07."""
    if not iso:
        return "—"
    return f"{date(iso)} {iso[11:16]}" if len(iso) >= 16 else date(iso)
