"""The consistency check of a collection (issue 15), and findings marked "bewust zo" (intended).

Each finding has a Dutch explanation and the API path of the listing that shows its rows. A finding
marked intended stays hidden while the rows involved keep the versions they had when it was marked;
a save of one of them (its version goes up) shows it again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from contracting.adapters.access import get_collection
from contracting.adapters.consistency import KINDS, names
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


def _rows(session: Session, collection_id: str) -> Iterator[tuple[str, str, str, str | None, tuple[Any, ...]]]:
    """(kind, level, institution id, subject id, fingerprint parts) of every finding, kind by kind."""
    for kind, (level, build) in KINDS.items():
        for institution_id, subject_id, *parts in session.execute(build(collection_id)).all():  # one fetchall
            if kind == "closed_since_last_save":  # its first column is the removal's JSON scope
                institution_id = json.loads(institution_id)["institution_id"]
            yield kind, level, str(institution_id), str(subject_id) if subject_id is not None else None, tuple(parts)


def _fingerprint(parts: tuple[Any, ...]) -> str:
    return "-".join(map(str, parts))


def _link(base: str, kind: str, level: str, institution_id: str, subject_id: str | None, specialism_of: Any) -> str:
    if level == "institution" or kind == "closed_since_last_save":
        return base
    if level == "department":
        return f"{base}/{institution_id}/departments"
    return f"{base}/{institution_id}/departments/{specialism_of.get(subject_id, '')}/conditions"


def check_collection(session: Session, actor: Actor, collection_id: str, *, include_intended: bool) -> dict[str, Any]:
    """Every finding of the collection, without those marked intended (unless asked), with counts per kind."""
    get_collection(session, actor, collection_id)
    found = list(_rows(session, collection_id))
    intended = {
        (r.kind, str(r.institution_id), r.subject_key): r
        for r in session.execute(select(intended_finding).where(intended_finding.c.collection_id == collection_id))
    }
    label, specialism_of = names(session, collection_id)
    base = f"/collections/{collection_id}/institutions"
    items, counts = [], dict.fromkeys(KINDS, 0)
    for kind, level, institution_id, subject_id, parts in found:
        mark = intended.get((kind, institution_id, subject_id or "")) if intended else None
        if mark is not None and mark.fingerprint != _fingerprint(parts):
            mark = None  # one of its rows changed since it was marked: show it again
        if mark is not None and not include_intended:
            continue
        counts[kind] += 1
        items.append(
            {
                "kind": kind,
                "level": level,
                "institution_id": institution_id,
                "subject_id": subject_id,
                "explanation": EXPLANATIONS[kind].format(
                    institution=label.get(institution_id, institution_id), subject=label.get(subject_id or "", "")
                ),
                "link": _link(base, kind, level, institution_id, subject_id, specialism_of),
                "intended": {"reason": mark.reason, "marked_by": mark.marked_by, "marked_at": mark.marked_at}
                if mark is not None
                else None,
            }
        )
    return {"items": items, "counts": {k: n for k, n in counts.items() if n}, "total": len(items)}


def mark_intended(
    actor: Actor, collection_id: str, kind: str, institution_id: str, subject_id: str | None, reason: str, uow: Any
) -> dict[str, Any]:
    """Mark a current finding "bewust zo" with a reason; it stays hidden until one of its rows changes."""
    with uow:
        session = uow.session
        get_collection(session, actor, collection_id, for_write=True)
        current = [
            _fingerprint(parts)
            for k, _, i, subject, parts in _rows(session, collection_id)
            if (k, i, subject) == (kind, institution_id, subject_id)
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
