"""Contract tests: every event this service emits validates against its JSON Schema, and every
schema of ours is valid draft 2020-12 with ``additionalProperties: false`` and valid examples."""

from __future__ import annotations

import uuid

import pytest
from jsonschema import Draft202012Validator, ValidationError

from catalogue.demo import catalogue_events
from catalogue.domain.events import ALL_EVENT_TYPES
from catalogue.domain.model import COUNTRIES, INSTITUTION_TYPES
from catalogue.reference_data import demo_catalogue
from servicekit.contracts import all_contracts, examples, load_schema, validate_event
from servicekit.messaging.envelope import Envelope
from servicekit.testing.outbox import outbox_events

API = "/api/catalogue"


def test_every_event_type_has_exactly_one_schema():
    ours = {t for t, _ in all_contracts() if t.startswith("catalogue.")}
    assert ours == set(ALL_EVENT_TYPES)


@pytest.mark.parametrize("event_type", ALL_EVENT_TYPES)
def test_schema_is_strict_and_its_examples_validate(event_type):
    schema = load_schema(event_type, 1)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False and set(schema["required"]) == set(schema["properties"])
    samples = examples(event_type)
    assert samples
    for sample in samples:
        Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(sample)
    with pytest.raises(ValidationError):
        Draft202012Validator(schema).validate({**samples[0], "unexpected": 1})


def test_every_event_the_api_emits_validates(client, maintainer, runtime):
    def call(method, path, body=None, status=200):  # type: ignore[no-untyped-def]
        response = getattr(client, method)(f"{API}{path}", json=body, headers=maintainer)
        assert response.status_code == status, response.json
        return response.json

    group = call("post", "/groups", {"name": "Isala"}, 201)
    call("patch", f"/groups/{group['id']}", {"kind": "other"})
    empty = call("post", "/groups", {"name": "Leeg"}, 201)
    call("post", f"/groups/{empty['id']}/retire")
    spec = call("post", "/specialisms", {"code": "0301", "name": "Oogheelkunde"}, 201)
    other = call("post", "/specialisms", {"code": "0305", "name": "Orthopedie"}, 201)
    call("patch", f"/specialisms/{spec['id']}", {"name": "Oogziekten"})
    cond = call("post", "/conditions", {"specialism_id": spec["id"], "name": "Staar"}, 201)
    cond2 = call("post", "/conditions", {"specialism_id": other["id"], "name": "Knie"}, 201)
    call("patch", f"/conditions/{cond['id']}", {"name": "Cataract-operatie"})
    a = call(
        "post",
        "/institutions",
        {
            "agb_code": "06970001",
            "name": "A",
            "type": "general_hospital",
            "group_id": group["id"],
            "opened_on": "2000-01-01",
        },
        201,
    )
    b = call(
        "post",
        "/institutions",
        {"agb_code": "06970002", "name": "B", "type": "foreign_hospital", "country": "DE", "city": None},
        201,
    )
    call("patch", f"/institutions/{a['id']}", {"city": "Zwolle"})
    call(
        "put",
        f"/institutions/{a['id']}/offering",
        {"specialism_ids": [spec["id"], other["id"]], "condition_ids": [cond["id"], cond2["id"]]},
    )
    call("post", f"/conditions/{cond2['id']}/retire")
    call("post", f"/specialisms/{spec['id']}/retire")
    c = call("post", "/institutions", {"agb_code": "06970003", "name": "C", "type": "zbc"}, 201)
    call("post", f"/institutions/{c['id']}/merge", {"into_institution_id": a["id"]})
    call("post", f"/institutions/{b['id']}/close", {"closed_on": "2026-12-31"})
    csv = "agb_code,name,type,country\n22970009,Import,zbc,NL\n"
    assert (
        client.post(
            f"{API}/institutions/import", data=csv, headers={**maintainer, "Content-Type": "text/csv"}
        ).status_code
        == 200
    )

    emitted = outbox_events(runtime.engine)
    assert {e.type for e in emitted} == set(ALL_EVENT_TYPES)
    for envelope in emitted:
        validate_event(envelope)
        for key in ("institution_id", "specialism_id", "condition_id", "group_id"):
            if key in envelope.data and envelope.data[key] is not None:
                uuid.UUID(envelope.data[key])
    assert all(e.producer == "catalogue" and e.version == 1 for e in emitted)


def test_demo_seed_events_validate():
    for event_type, data in catalogue_events(demo_catalogue()):
        validate_event(Envelope.new(type=event_type, data=data, producer="catalogue"))


@pytest.mark.parametrize("event_type", ["catalogue.institution.registered", "catalogue.institution.changed"])
def test_the_institution_types_and_countries_are_the_schemas_enums(event_type):
    """One vocabulary: the types and countries the catalogue accepts are exactly what its events promise."""
    properties = load_schema(event_type, 1)["properties"]
    assert list(INSTITUTION_TYPES) == properties["type"]["enum"]
    assert list(COUNTRIES) == properties["country"]["enum"]
