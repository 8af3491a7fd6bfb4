"""The consistency check of a collection (issue 15), and findings marked "bewust zo" (intended).

Each finding has a Dutch explanation and the API path of the listing that shows its rows. A finding
marked intended stays hidden while the rows involved keep the versions they had when it was marked;
a save of one of them (its version goes up) shows it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from contracting.adapters.access import get_collection
from contracting.adapters.consistency import KINDS, ROW_KINDS, closed_findings, run_findings_query
from contracting.adapters.orm import intended_finding
from contracting.adapters.sql import now
from contracting.domain.commands import Actor
from contracting.domain.exceptions import NotFound

EXPLANATIONS = {
    "full_institution_department_not_contracted": (
        "{institution} is volledig gecontracteerd, maar de afdeling {subject} staat op niet gecontracteerd of "
        "in onderhandeling."
    ),
    "not_contracted_institution_department_contracted": (
        "{institution} is niet gecontracteerd, maar de afdeling {subject} staat op (gedeeltelijk) gecontracteerd."
    ),
    "not_contracted_institution_condition_contracted": (
        "{institution} is niet gecontracteerd, maar de aandoening {subject} staat op volledig gecontracteerd."
    ),
    "partial_institution_nothing_contracted": (
        "{institution} is gedeeltelijk gecontracteerd, maar eronder is geen afdeling of aandoening gecontracteerd."
    ),
    "partial_institution_everything_contracted": (
        "{institution} is gedeeltelijk gecontracteerd, maar eronder is alles volledig gecontracteerd: "
        "is 'volledig' bedoeld?"
    ),
    "full_department_condition_not_contracted": (
        "Bij {institution} is de afdeling van aandoening {subject} volledig gecontracteerd, maar de aandoening "
        "zelf niet."
    ),
    "new_institution_undecided": "{institution} is nieuw in de catalogus en er is nog niet over besloten.",
    "new_department_undecided": "De afdeling {subject} van {institution} is nieuw en er is nog niet over besloten.",
    "new_condition_undecided": "De aandoening {subject} van {institution} is nieuw en er is nog niet over besloten.",
    "closed_since_last_save": (
        "{institution} is sinds de laatste wijziging gesloten en uit de collectie verdwenen; controleer de "
        "afspraken die erop steunden."
    ),
}


class Finding(NamedTuple):
    """One finding as the database answers it (ids and the fingerprint as text)."""

    kind: str
    institution_id: str
    subject_id: str | None
    institution_name: str | None
    subject_name: str | None
    specialism_id: str | None
    fingerprint: str


def _findings(session: Session, collection_id: str) -> Iterator[Finding]:
    """Every finding of the collection: the row kinds in one statement, then the closed institutions."""
    for (
        position,
        institution_id,
        subject_id,
        institution_name,
        fingerprint,
        subject_name,
        specialism_id,
    ) in run_findings_query(session, collection_id):
        kind = ROW_KINDS[position]
        yield Finding(kind, institution_id, subject_id, institution_name, subject_name, specialism_id, fingerprint)
    for institution_id, institution_name, change_id in closed_findings(session, collection_id):
        yield Finding("closed_since_last_save", institution_id, None, institution_name, None, None, change_id)


def _link(base: str, finding: Finding) -> str:
    level = KINDS[finding.kind][0]
    if level == "institution" or finding.kind == "closed_since_last_save":
        return base
    if level == "department":
        return f"{base}/{finding.institution_id}/departments"
    return f"{base}/{finding.institution_id}/departments/{finding.specialism_id or ''}/conditions"


def _item(base: str, finding: Finding, mark: Any) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "level": KINDS[finding.kind][0],
        "institution_id": finding.institution_id,
        "subject_id": finding.subject_id,
        "explanation": EXPLANATIONS[finding.kind].format(
            institution=finding.institution_name or finding.institution_id,
            subject=finding.subject_name or finding.subject_id or "",
        ),
        "link": _link(base, finding),
        "intended": {"reason": mark.reason, "marked_by": mark.marked_by, "marked_at": mark.marked_at}
        if mark is not None
        else None,
    }


def check_collection(session: Session, actor: Actor, collection_id: str, *, include_intended: bool) -> dict[str, Any]:
    """Every finding of the collection, without those marked intended (unless asked), with counts per kind.

    Three statements whatever the collection's size: the row kinds (``UNION ALL``, names joined), the
    closed institutions, the marks "bewust zo" (only read when there are any findings).
    """
    get_collection(session, actor, collection_id)
    found = list(_findings(session, collection_id))
    intended = {}
    if found:
        intended = {
            (r.kind, str(r.institution_id), r.subject_key): r
            for r in session.execute(select(intended_finding).where(intended_finding.c.collection_id == collection_id))
        }
    base = f"/collections/{collection_id}/institutions"
    items, counts = [], dict.fromkeys(KINDS, 0)
    for finding in found:
        mark = intended.get((finding.kind, finding.institution_id, finding.subject_id or "")) if intended else None
        if mark is not None and mark.fingerprint != finding.fingerprint:
            mark = None  # one of its rows changed since it was marked: show it again
        if mark is not None and not include_intended:
            continue
        counts[finding.kind] += 1
        items.append(_item(base, finding, mark))
    return {"items": items, "counts": {k: n for k, n in counts.items() if n}, "total": len(items)}


def mark_intended(
    actor: Actor, collection_id: str, kind: str, institution_id: str, subject_id: str | None, reason: str, uow: Any
) -> dict[str, Any]:
    """Mark a current finding "bewust zo" with a reason; it stays hidden until one of its rows changes."""
    with uow:
        session = uow.session
        get_collection(session, actor, collection_id, for_write=True)
        current = [
            f.fingerprint
            for f in _findings(session, collection_id)
            if (f.kind, f.institution_id, f.subject_id) == (kind, institution_id, subject_id)
        ]
        if not current:
            raise NotFound("Deze bevinding komt (nu) niet voor in deze collectie.", field="kind")
        key = {"collection_id": collection_id, "kind": kind, "institution_id": institution_id}
        session.execute(
            delete(intended_finding).where(
                *[intended_finding.c[k] == v for k, v in key.items()],
                intended_finding.c.subject_key == (subject_id or ""),
            )
        )
        values = key | {
            "subject_key": subject_id or "",
            "fingerprint": current[0],
            "reason": reason.strip(),
            "marked_by": actor.user_name,
            "marked_at": now(),
        }
        session.execute(intended_finding.insert().values(**values))
        uow.commit()
        return values
