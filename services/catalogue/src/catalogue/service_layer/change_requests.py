"""R15/R16: an approved data change request becomes catalogue data without anyone re-entering it.

The support service checked the request against its copy of the catalogue and the maintainer
approved (and may have corrected) it; ``support.change_request.approved`` carries the proposal and
the ids the new institution or condition is to get. Here the catalogue applies it as a maintainer
would through the API — the same domain rules, the same outbox events — so contracting brings the
new data into every insurer's open-year collections as it does for any catalogue change.

Idempotent: an institution or condition that already exists under its given id is not added again,
and an offering that already is as proposed emits nothing. A proposal the catalogue can no longer
take (the AGB code was registered meanwhile, a specialism retired) raises; after the consumer's
attempts the message is in ``catalogue.change_requests.dlq`` for the maintainer to see and replay.
A named institution that closed meanwhile is left out of a new condition's offering (logged).
"""

from __future__ import annotations

import logging
from typing import Any

from catalogue.adapters.repository import CatalogueRepository
from catalogue.domain import events
from catalogue.domain.exceptions import Conflict, InvalidInput
from catalogue.domain.model import Condition, Institution, build_institution_data, check_offering, clean_name
from servicekit.db import UnitOfWork

log = logging.getLogger(__name__)

INSTITUTION_ATTRIBUTES = ("name", "agb_code", "type", "address", "postcode", "city", "email", "phone")


def _register_institution(
    repo: CatalogueRepository, uow: UnitOfWork, institution_id: str, proposal: dict[str, Any]
) -> Institution:
    existing = repo.get_institution(institution_id, for_update=True)
    if existing is not None:
        return existing
    data = build_institution_data({**{k: proposal.get(k) for k in INSTITUTION_ATTRIBUTES}, "country": "NL"})
    if repo.institution_id_by_agb(data.agb_code):
        raise Conflict(f"AGB-code {data.agb_code} is intussen al in gebruik.", {"agb_code": ["R15: al in gebruik."]})
    created = Institution(id=institution_id, data=data, revision=1)
    repo.add_institutions([created])
    uow.session.flush()
    uow.publish(events.INSTITUTION_REGISTERED, events.institution_state(created))
    return created


def _add_condition(
    repo: CatalogueRepository, uow: UnitOfWork, condition_id: str, proposal: dict[str, Any]
) -> Condition:
    existing = repo.get_condition(condition_id)
    if existing is not None:
        return existing
    specialism = repo.get_specialism(proposal["specialism_id"])
    if specialism is None or specialism.retired:
        reason = f"Specialisme {proposal['specialism_id']} bestaat niet (meer)."
        raise InvalidInput(reason, field="specialism_id", rule="R15")
    name = clean_name(proposal["condition_name"])
    if repo.condition_name_taken(specialism.id, name):
        raise Conflict(f"Dit specialisme heeft intussen al een aandoening {name!r}.")
    created = Condition(condition_id, specialism.id, name, 1)
    repo.add_condition(created)
    uow.session.flush()
    uow.publish(events.CONDITION_ADDED, events.condition_state(created))
    return created


def _change_offering(
    repo: CatalogueRepository,
    uow: UnitOfWork,
    institution: Institution,
    add: tuple[list[str], list[str]],
    remove: tuple[list[str], list[str]] = ([], []),
) -> None:
    """Add and remove departments and conditions; a condition brings its specialism along (R15)."""
    institution.check_offering_allowed()
    current_specialisms, current_conditions = repo.offering(institution.id)
    conditions = (current_conditions | set(add[1])) - set(remove[1])
    known = repo.conditions(conditions)
    specialisms = (current_specialisms | set(add[0]) | {known[c].specialism_id for c in add[1] if c in known}) - set(
        remove[0]
    )
    conditions = {c for c in conditions if c in known and known[c].specialism_id in specialisms}
    if (specialisms, conditions) == (current_specialisms, current_conditions):
        return
    specialism_ids, condition_ids = sorted(specialisms), sorted(conditions)
    check_offering(specialism_ids, condition_ids, repo.specialisms(specialism_ids), known)
    revision = institution.offering_revision + 1
    repo.replace_offering(institution.id, revision, specialism_ids, condition_ids)
    uow.publish(events.OFFERING_CHANGED, events.offering_state(institution.id, revision, specialism_ids, condition_ids))


def _new_condition_offered(repo: CatalogueRepository, uow: UnitOfWork, data: dict[str, Any], condition_id: str) -> None:
    condition = _add_condition(repo, uow, condition_id, data["proposal"])
    for institution_id in data["proposal"]["institution_ids"]:
        offering_at = repo.get_institution(institution_id, for_update=True)
        if offering_at is None or offering_at.is_closed or offering_at.is_foreign:
            log.warning(
                "approved condition not offered at an unknown, closed or foreign institution",
                extra={"fields": {"institution_id": institution_id, "request": data["number"]}},
            )
            continue
        _change_offering(repo, uow, offering_at, ([condition.specialism_id], [condition.id]))


def _offering_changed(repo: CatalogueRepository, uow: UnitOfWork, proposal: dict[str, Any]) -> None:
    institution = repo.get_institution(proposal["institution_id"], for_update=True)
    if institution is None:
        raise InvalidInput(f"Instelling {proposal['institution_id']} bestaat niet.")
    _change_offering(
        repo,
        uow,
        institution,
        (proposal["add_specialism_ids"], proposal["add_condition_ids"]),
        (proposal["remove_specialism_ids"], proposal["remove_condition_ids"]),
    )


def apply_approved_request(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``support.change_request.approved``: register the institution or condition, or change the offering."""
    proposal, new_ids = data["proposal"], data["new_ids"]
    with uow:
        repo = CatalogueRepository(uow.session)
        if data["kind"] == "new_institution":
            institution = _register_institution(repo, uow, new_ids["institution_id"], proposal)
            _change_offering(repo, uow, institution, ([proposal["specialism_id"]], [proposal["condition_id"]]))
        elif data["kind"] == "new_condition":
            _new_condition_offered(repo, uow, data, new_ids["condition_id"])
        else:
            _offering_changed(repo, uow, proposal)
        uow.commit()
