"""The consistency check of a collection (issue 15), and findings marked "bewust zo" (intended).

Each finding has a Dutch explanation and the API path of the listing that shows its rows. A finding
marked intended stays hidden while the rows involved keep the versions they had when it was marked;
a save of one of them (its version goes up) shows it again.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from contracting.adapters.access import get_collection
from contracting.adapters.consistency import KINDS, names
from contracting.adapters.orm import condition, intended_finding
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


def _raw_findings(session: Session, collection_id: str) -> list[dict[str, Any]]:
    found = []
    for kind, (level, build) in KINDS.items():
        for row in session.execute(build(collection_id)).all():  # one fetchall, not a fetch per row
            institution_id, subject_id, *parts = row
            if kind == "closed_since_last_save":  # its first column is the removal's JSON scope
                institution_id = json.loads(institution_id)["institution_id"]
            found.append(
                {
                    "kind": kind,
                    "level": level,
                    "institution_id": str(institution_id),
                    "subject_id": str(subject_id) if subject_id is not None else None,
                    "fingerprint": "-".join(str(p) for p in parts),
                }
            )
    return found


def _link(collection_id: str, finding: dict[str, Any], specialism_of: dict[str, str]) -> str:
    base = f"/collections/{collection_id}/institutions"
    if finding["level"] == "institution" or finding["kind"] == "closed_since_last_save":
        return base
    institution_path = f"{base}/{finding['institution_id']}/departments"
    if finding["level"] == "department":
        return institution_path
    return f"{institution_path}/{specialism_of.get(finding['subject_id'] or '', '')}/conditions"


def check_collection(session: Session, actor: Actor, collection_id: str, *, include_intended: bool) -> dict[str, Any]:
    """Every finding of the collection, without those marked intended (unless asked), with counts per kind."""
    get_collection(session, actor, collection_id)
    found = _raw_findings(session, collection_id)
    intended = {
        (r.kind, str(r.institution_id), r.subject_key): r
        for r in session.execute(select(intended_finding).where(intended_finding.c.collection_id == collection_id))
    }
    label = names(session, {f["institution_id"] for f in found}, {f["subject_id"] for f in found if f["subject_id"]})
    specialism_of = _specialisms_of_conditions(session, {f["subject_id"] for f in found if f["level"] == "condition"})
    items = []
    for finding in found:
        mark = intended.get((finding["kind"], finding["institution_id"], finding["subject_id"] or ""))
        is_intended = mark is not None and mark.fingerprint == finding["fingerprint"]
        if is_intended and not include_intended:
            continue
        text = EXPLANATIONS[finding["kind"]].format(
            institution=label.get(finding["institution_id"], finding["institution_id"]),
            subject=label.get(finding["subject_id"] or "", ""),
        )
        items.append(
            finding
            | {
                "explanation": text,
                "link": _link(collection_id, finding, specialism_of),
                "intended": {"reason": mark.reason, "marked_by": mark.marked_by, "marked_at": mark.marked_at}
                if is_intended and mark is not None
                else None,
            }
        )
    counts: dict[str, int] = {}
    for item in items:
        counts[item["kind"]] = counts.get(item["kind"], 0) + 1
    return {"items": items, "counts": counts, "total": len(items)}


def _specialisms_of_conditions(session: Session, condition_ids: set[str | None]) -> dict[str, str]:
    ids = {i for i in condition_ids if i}
    if not ids:
        return {}
    rows = session.execute(select(condition.c.id, condition.c.specialism_id).where(condition.c.id.in_(ids)))
    return {str(i): str(s) for i, s in rows}


def mark_intended(
    actor: Actor, collection_id: str, kind: str, institution_id: str, subject_id: str | None, reason: str, uow: Any
) -> dict[str, Any]:
    """Mark a current finding "bewust zo" with a reason; it stays hidden until one of its rows changes."""
    with uow:
        session = uow.session
        get_collection(session, actor, collection_id, for_write=True)
        current = [
            f
            for f in _raw_findings(session, collection_id)
            if (f["kind"], f["institution_id"], f["subject_id"]) == (kind, institution_id, subject_id)
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
            "fingerprint": current[0]["fingerprint"],
            "reason": reason.strip(),
            "marked_by": actor.user_name,
            "marked_at": now(),
        }
        session.execute(intended_finding.insert().values(**values))
        uow.commit()
        return values
