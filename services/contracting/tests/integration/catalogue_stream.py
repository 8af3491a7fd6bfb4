"""A catalogue that changes a lot: a reproducible stream of catalogue events and the state it ends in.

Institutions are registered, renamed, have their offering changed over and over, and some close;
conditions are added, renamed and a few retired, one specialism is retired. Every event carries the
entity's full state and next revision, as the catalogue's events do. :meth:`CatalogueStream.expected_rows`
is what R16 makes of the final state in an open collection.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from servicekit.messaging.envelope import Envelope


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class Institution:
    id: str
    revision: int
    name: str
    agb_code: str
    offering_revision: int = 0
    specialisms: set[str] = field(default_factory=set)
    conditions: set[str] = field(default_factory=set)
    closed: bool = False
    state_revision: int = 1  # of the last event with the full state (a closure carries none)


@dataclass
class CatalogueStream:
    seed: int = 8
    events: list[Envelope] = field(default_factory=list)
    institutions: dict[str, Institution] = field(default_factory=dict)
    specialisms: dict[str, int] = field(default_factory=dict)  # id -> revision
    retired_specialisms: set[str] = field(default_factory=set)
    conditions: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # id -> (specialism, revision, name)
    retired_conditions: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def _emit(self, event_type: str, data: dict[str, Any]) -> None:
        self.events.append(Envelope.new(type=event_type, data=data, producer="catalogue"))

    # -- the changes ---------------------------------------------------------------------------

    def add_specialism(self, index: int) -> None:
        sid = _id(self.rng)
        self.specialisms[sid] = 1
        self._emit(
            "catalogue.specialism.added",
            {"specialism_id": sid, "revision": 1, "code": f"{300 + index:04d}", "name": f"Specialisme {index}"},
        )

    def add_condition(self, specialism_id: str) -> None:
        cid = _id(self.rng)
        self.conditions[cid] = (specialism_id, 1, f"Aandoening {len(self.conditions)}")
        self._emit(
            "catalogue.condition.added",
            {"condition_id": cid, "revision": 1, "specialism_id": specialism_id, "name": self.conditions[cid][2]},
        )

    def rename_condition(self, cid: str) -> None:
        specialism_id, revision, _ = self.conditions[cid]
        self.conditions[cid] = (specialism_id, revision + 1, f"Aandoening {cid[:6]} r{revision + 1}")
        data = {"condition_id": cid, "revision": revision + 1, "specialism_id": specialism_id}
        self._emit("catalogue.condition.renamed", data | {"name": self.conditions[cid][2]})

    def retire_condition(self, cid: str) -> None:
        specialism_id, revision, name = self.conditions[cid]
        self.conditions[cid] = (specialism_id, revision + 1, name)
        self.retired_conditions.add(cid)
        self._emit("catalogue.condition.retired", {"condition_id": cid, "revision": revision + 1})
        for institution in self.institutions.values():
            if cid in institution.conditions and not institution.closed:
                self.change_offering(institution, drop=cid)

    def retire_specialism(self, sid: str) -> None:
        self.specialisms[sid] += 1
        self.retired_specialisms.add(sid)
        self._emit("catalogue.specialism.retired", {"specialism_id": sid, "revision": self.specialisms[sid]})

    def register(self) -> None:
        iid = _id(self.rng)
        number = len(self.institutions)
        institution = Institution(iid, 1, f"Ziekenhuis {number}", f"{6100000 + number:08d}")
        self.institutions[iid] = institution
        self._emit("catalogue.institution.registered", self._institution_data(institution))

    def rename(self, institution: Institution) -> None:
        institution.revision += 1
        institution.state_revision = institution.revision
        institution.name = f"Ziekenhuis {institution.id[:6]} r{institution.revision}"
        self._emit("catalogue.institution.changed", self._institution_data(institution))

    def close(self, institution: Institution) -> None:
        institution.revision += 1
        institution.closed = True
        data = {"institution_id": institution.id, "revision": institution.revision, "closed_on": "2026-06-30"}
        self._emit("catalogue.institution.closed", data)

    def change_offering(self, institution: Institution, drop: str | None = None) -> None:
        live = sorted(c for c in self.conditions if c not in self.retired_conditions and c != drop)
        live = [c for c in live if self.conditions[c][0] not in self.retired_specialisms]
        chosen = set(self.rng.sample(live, k=min(len(live), self.rng.randint(0, 12))))
        institution.conditions = chosen
        institution.specialisms = {self.conditions[c][0] for c in chosen}
        institution.offering_revision += 1
        data = {
            "institution_id": institution.id,
            "revision": institution.offering_revision,
            "specialism_ids": sorted(institution.specialisms),
            "condition_ids": sorted(institution.conditions),
        }
        self._emit("catalogue.offering.changed", data)

    def _institution_data(self, institution: Institution) -> dict[str, Any]:
        return {
            "institution_id": institution.id,
            "revision": institution.revision,
            "agb_code": institution.agb_code,
            "name": institution.name,
            "type": "general_hospital",
            "country": "NL",
            "city": "Utrecht",
            "group_id": None,
            "opened_on": None,
        }

    # -- the stream ----------------------------------------------------------------------------

    def build(self, changes: int, institutions: int = 60) -> list[Envelope]:
        for index in range(8):
            self.add_specialism(index)
        for sid in list(self.specialisms):
            for _ in range(5):
                self.add_condition(sid)
        while len(self.events) < changes:
            self._one_change(institutions)
        return self.events

    def _one_change(self, institutions: int) -> None:
        live = [i for i in self.institutions.values() if not i.closed]
        roll = self.rng.random()
        if len(self.institutions) < institutions and (roll < 0.15 or len(live) < 5):
            self.register()
        elif roll < 0.60:
            self.change_offering(self.rng.choice(live))
        elif roll < 0.85:
            self.rename(self.rng.choice(live))
        elif roll < 0.90 and len(live) > 20:
            self.close(self.rng.choice(live))
        elif roll < 0.95:
            self._change_a_condition()
        elif roll < 0.955 and len(self.retired_specialisms) < 1:
            self.retire_specialism(self.rng.choice(sorted(self.specialisms)))
        else:
            self.add_condition(self.rng.choice(sorted(set(self.specialisms) - self.retired_specialisms)))

    def _change_a_condition(self) -> None:
        live = sorted(c for c in self.conditions if c not in self.retired_conditions)
        cid = self.rng.choice(live)
        if len(self.retired_conditions) < 4 and self.rng.random() < 0.2:
            self.retire_condition(cid)
        else:
            self.rename_condition(cid)

    # -- what R16 makes of the final state -----------------------------------------------------

    def expected_rows(self) -> tuple[set[str], set[tuple[str, str]], set[tuple[str, str]]]:
        """Institution ids, (institution, specialism) and (institution, condition) of one open collection."""
        institutions, departments, conditions = set(), set(), set()
        for institution in self.institutions.values():
            if institution.closed:
                continue
            institutions.add(institution.id)
            live_specialisms = institution.specialisms - self.retired_specialisms
            departments |= {(institution.id, s) for s in live_specialisms}
            conditions |= {
                (institution.id, c)
                for c in institution.conditions
                if c not in self.retired_conditions and self.conditions[c][0] in live_specialisms
            }
        return institutions, departments, conditions
