"""The kit's one inbound path: envelope -> typed command -> handler(command, unit of work)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from servicekit.db import UnitOfWork
from servicekit.messaging import inbound
from servicekit.messaging.envelope import Envelope


@dataclass(frozen=True)
class RenameThing:
    thing_id: str
    revision: int
    name: str
    note: str | None = None


def test_from_data_takes_the_commands_fields_by_name_and_leaves_the_rest() -> None:
    translate = inbound.from_data(RenameThing)
    data = {"thing_id": "t1", "revision": 3, "name": "Nieuw", "closed_on": "2026-01-01"}
    assert translate(data) == RenameThing("t1", 3, "Nieuw")
    assert translate(data | {"note": "x"}) == RenameThing("t1", 3, "Nieuw", "x")


def test_from_data_refuses_data_that_lacks_a_required_field() -> None:
    with pytest.raises(TypeError):
        inbound.from_data(RenameThing)({"thing_id": "t1", "name": "Nieuw"})


def test_route_hands_the_typed_command_and_a_unit_of_work_on_the_consumers_session() -> None:
    seen: list[tuple[Any, UnitOfWork]] = []

    def rename_thing(command: RenameThing, uow: UnitOfWork) -> None:
        seen.append((command, uow))

    handler = inbound.route("probe", inbound.from_data(RenameThing), rename_thing)
    session: Any = object()
    envelope = Envelope.new(type="x.thing.renamed", data={"thing_id": "t1", "revision": 2, "name": "B"}, producer="x")
    handler(envelope, session)
    assert handler.__name__ == "rename_thing"
    [(command, uow)] = seen
    assert command == RenameThing("t1", 2, "B")
    assert uow.session is session and uow.producer == "probe"


def test_router_binds_the_services_producer_and_outbound_mapping() -> None:
    seen: list[UnitOfWork] = []

    def mapping(event: Any) -> list[tuple[Any, ...]]:
        return []

    route = inbound.router("probe", outbound=mapping)
    handler = route(inbound.from_data(RenameThing), lambda command, uow: seen.append(uow))
    session: Any = object()
    handler(
        Envelope.new(type="x.thing.renamed", data={"thing_id": "t", "revision": 1, "name": "A"}, producer="x"), session
    )
    [uow] = seen
    assert uow.producer == "probe" and uow._outbound is mapping
