"""Support's, catalogue's and identity's answers for the fake gateway, in the committed OpenAPI shapes.

Reports and requests belong to insurer ``ins-1`` (the fake login's insurer); one report of ``ins-2``
answers 404, as support answers for another insurer's item.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask, jsonify, request

REPORT = str(uuid.uuid4())
OTHER_REPORT = str(uuid.uuid4())
REQUEST = str(uuid.uuid4())
SPECIALISM = str(uuid.uuid4())
CONDITION = str(uuid.uuid4())
HOSPITAL = str(uuid.uuid4())


def report(status: str = "new") -> dict[str, Any]:
    names = {"new": "Nieuw", "in_progress": "In behandeling", "closed": "Gesloten", "resolved": "Opgelost"}
    return {
        "id": REPORT,
        "number": "MP-2026-0001",
        "status": status,
        "status_name": names[status],
        "name": "Inkoper",
        "email": "inkoper@a.example",
        "description": "Het filter vindt niets",
        "created_at": "2026-03-05T10:07:00+01:00",
        "assignee": None,
        "about_screen": None,
        "comments": [
            {
                "id": "c1",
                "author_name": "Beheerder",
                "side": "maintainer",
                "body": "Welke collectie?",
                "created_at": "2026-03-05T11:00:00+01:00",
            }
        ],
    }


def change_request(status: str = "submitted") -> dict[str, Any]:
    names = {"submitted": "Ingediend", "approved": "Goedgekeurd", "rejected": "Afgewezen"}
    return {
        "id": REQUEST,
        "number": "DW-2026-0001",
        "kind": "new_condition",
        "status": status,
        "status_name": names[status],
        "requester_name": "Inkoper",
        "requester_email": None,
        "submitted_on": "2026-03-02",
        "due_on": "2026-03-09",
        "overdue": status == "submitted",
        "version": 3,
        "created_at": "2026-03-02T09:00:00+01:00",
        "reason": "Bestaat al" if status == "rejected" else None,
        "proposal": {"condition_name": "Long covid", "specialism_id": SPECIALISM, "institution_ids": [HOSPITAL]},
    }


def not_found() -> Any:
    return jsonify(code=404, status="Not Found", message="Deze melding bestaat niet."), 404


def install(app: Flask, fake: Any) -> None:
    """The routes; ``fake.support_state`` holds the statuses a test sets, ``fake.calls`` records every call."""

    @app.get("/api/support/reports")
    def reports() -> Any:
        return {"items": [report(fake.support_state.get("report", "new"))], "total": 1, "page": 1}

    @app.get("/api/support/reports/<rid>")
    def one_report(rid: str) -> Any:
        return report(fake.support_state.get("report", "new")) if rid == REPORT else not_found()

    @app.post("/api/support/reports")
    def create_report() -> Any:
        return {**report(), "description": request.json["description"]}, 201

    @app.post("/api/support/reports/<rid>/<action>")
    @app.put("/api/support/reports/<rid>/<action>")
    def report_action(rid: str, action: str) -> Any:
        return (report(), 200) if rid == REPORT else not_found()

    @app.get("/api/support/requests")
    def requests_() -> Any:
        return {"items": [change_request(fake.support_state.get("request", "submitted"))], "total": 1, "page": 1}

    @app.get("/api/support/requests/<rid>")
    def one_request(rid: str) -> Any:
        return change_request(fake.support_state.get("request", "submitted")) if rid == REQUEST else not_found()

    @app.post("/api/support/requests")
    def create_request() -> Any:
        return change_request(), 201

    @app.route("/api/support/requests/<rid>", methods=["PATCH"])
    @app.post("/api/support/requests/<rid>/status")
    def request_action(rid: str) -> Any:
        return change_request()

    @app.get("/api/support/notifications")
    def notifications() -> Any:
        unread = fake.support_state.get("unread", True)
        item = {
            "id": "n1",
            "subject_kind": "report",
            "subject_id": REPORT,
            "subject_number": "MP-2026-0001",
            "message": "De beheerder heeft geantwoord.",
            "created_at": "2026-03-05T11:00:00+01:00",
            "unread": unread,
        }
        return {"items": [item], "unread": int(unread), "total": 1, "page": 1}

    @app.post("/api/support/notifications/read")
    def read() -> Any:
        fake.support_state["unread"] = False
        return {"marked": 1}

    @app.get("/api/catalogue/specialisms")
    def specialisms() -> Any:
        return [{"id": SPECIALISM, "code": "0303", "name": "Cardiologie", "retired": False}]

    @app.get("/api/catalogue/conditions")
    def conditions() -> Any:
        return [{"id": CONDITION, "specialism_id": SPECIALISM, "name": "Hartfalen", "retired": False}]

    @app.get("/api/catalogue/institutions")
    def institutions() -> Any:
        found = [
            {"id": HOSPITAL, "agb_code": "06010101", "name": "Ziekenhuis Noord"},
            {"id": OTHER_HOSPITAL, "agb_code": "06020202", "name": "Ziekenhuis Zuid"},
        ]
        return {"items": [i for i in found if request.args.get("agb_code") in (None, i["agb_code"])]}

    @app.post("/api/catalogue/institutions")
    def register_institution() -> Any:
        if request.json["agb_code"] == "06010101":
            body = {
                "code": 409,
                "status": "Conflict",
                "message": "AGB-code bestaat al.",
                "errors": {"agb_code": ["bestaat al"]},
            }
            return jsonify(body), 409
        return {"id": HOSPITAL, **request.json}, 201

    @app.post("/api/catalogue/institutions/<iid>/close")
    def close(iid: str) -> Any:
        return {"id": iid, "status": "closed"}

    @app.get("/api/catalogue/institutions/<iid>/offering")
    def offering(iid: str) -> Any:
        return {"institution_id": iid, "specialism_ids": [SPECIALISM], "condition_ids": []}

    @app.get("/api/catalogue/institutions/<iid>")
    def institution(iid: str) -> Any:
        return {"id": HOSPITAL, "agb_code": "06010101", "name": "Ziekenhuis Noord"}

    @app.get("/api/contracting/collections")
    def collections() -> Any:
        return [{"collection_id": "c-1", "name": "Basis 2026"}]


def install_operations(app: Flask, fake: Any) -> None:
    """Identity's users and insurers, and each service's readiness and dead letters."""

    @app.get("/api/identity/users")
    def users() -> Any:
        return [
            {
                "id": "u1",
                "username": "inkoper",
                "display_name": "Inkoper",
                "role": "insurer_user",
                "active": True,
                "must_change_password": False,
                "insurer": {"id": "ins-1", "name": "Verzekeraar A"},
            }
        ]

    @app.get("/api/identity/insurers")
    def insurers() -> Any:
        return [{"id": "ins-1", "name": "Verzekeraar A", "slug": "a"}]

    @app.post("/api/identity/insurers")
    def register() -> Any:
        if request.json["slug"] == "a":
            return jsonify(
                code=409, status="Conflict", message="Code a bestaat al.", errors={"slug": ["bestaat al"]}
            ), 409
        return {"id": "ins-2", **request.json}, 201

    @app.post("/api/identity/users")
    def create_user() -> Any:
        return {**request.json, "id": "u2", "active": True, "must_change_password": True}, 201

    @app.post("/api/identity/users/<uid>/password-reset")
    def reset(uid: str) -> Any:
        if len(request.json["new_password"]) < 8:
            body = {"code": 422, "status": "x", "message": "R2", "errors": {"new_password": ["R2: minstens 8 tekens."]}}
            return jsonify(body), 422
        return "", 204

    @app.post("/api/identity/users/<uid>/deactivation")
    def deactivate(uid: str) -> Any:
        return {"id": uid, "active": False}

    @app.get("/api/identity/api-keys")
    def keys() -> Any:
        return [{"id": "k1", "name": "Independer", "prefix": "zcp_ab", "created_at": "2026-01-01T10:00:00+01:00"}]

    @app.post("/api/identity/api-keys")
    def new_key() -> Any:
        return {
            "id": "k2",
            "name": request.json["name"],
            "prefix": "zcp_cd",
            "key": "zcp_cd-geheim",
            "created_at": "2026-01-02T10:00:00+01:00",
        }, 201

    @app.delete("/api/identity/api-keys/<kid>")
    def revoke(kid: str) -> Any:
        return "", 204

    @app.get("/api/<service>/health/ready")
    def ready(service: str) -> Any:
        return {"status": "ok", "service": service}

    @app.get("/api/<service>/dead-letters")
    def dead_letters(service: str) -> Any:
        if service != "support":
            return []
        letter = {
            "message_id": "m-1",
            "event_type": "catalogue.group.changed",
            "occurred_at": None,
            "reason": "rejected",
            "body": "{}",
        }
        return [
            {
                "purpose": "catalogue",
                "queue": "support.catalogue",
                "dead_letter_queue": "support.catalogue.dlq",
                "waiting": 0,
                "dead": 1,
                "letters": [letter],
            }
        ]

    @app.post("/api/<service>/dead-letters/<purpose>/replay")
    def replay(service: str, purpose: str) -> Any:
        return {"replayed": len(request.json.get("ids") or [1, 2])}


GROUP = str(uuid.uuid4())
OTHER_HOSPITAL = str(uuid.uuid4())
IMPORT_REFUSAL = {
    "code": 422,
    "status": "Unprocessable Entity",
    "message": "Het bestand is geweigerd: 2 foute regel(s). Er is niets opgeslagen.",
    "errors": {
        "rows": [
            {"line": 3, "field": "agb_code", "reason": "AGB-code moet 8 cijfers zijn."},
            {"line": 7, "field": "type", "reason": "Onbekend type: ziekenhuisje."},
        ]
    },
}


def install_catalogue(app: Flask) -> None:
    """The catalogue's maintenance answers: groups, changes to specialisms and conditions, edit,
    merge (a second institution with AGB 06020202), export and import (a file with "fout" is refused)."""

    def named_conflict(field: str) -> Any:
        body = {"code": 409, "status": "Conflict", "message": "Bestaat al.", "errors": {field: ["bestaat al"]}}
        return jsonify(body), 409

    @app.get("/api/catalogue/groups/<gid>")
    def group(gid: str) -> Any:
        return {"id": gid, "name": "Santeon", "kind": "hospital_organisation", "open_institution_count": 3}

    @app.post("/api/catalogue/groups")
    def group_create() -> Any:
        if request.json["name"] == "Santeon":
            return named_conflict("name")
        return {"id": GROUP, "open_institution_count": 0, **request.json}, 201

    @app.route("/api/catalogue/<kind>/<item_id>", methods=["PATCH"])
    def rename(kind: str, item_id: str) -> Any:
        return {"id": item_id, **request.json}

    @app.post("/api/catalogue/specialisms")
    def specialism_create() -> Any:
        if len(request.json["code"]) != 4:
            body = {
                "code": 422,
                "status": "x",
                "message": "Controleer de velden.",
                "errors": {"json": {"code": ["4 cijfers."]}},
            }
            return jsonify(body), 422
        return {"id": str(uuid.uuid4()), "retired": False, **request.json}, 201

    @app.post("/api/catalogue/conditions")
    def condition_create() -> Any:
        return {"id": str(uuid.uuid4()), "retired": False, **request.json}, 201

    @app.post("/api/catalogue/<kind>/<item_id>/retire")
    def retire(kind: str, item_id: str) -> Any:
        if kind == "groups" and item_id == GROUP:  # Santeon still has 3 open institutions
            message = "Groep Santeon heeft nog 3 open instelling(en); zet die eerst in een andere groep of sluit ze."
            return jsonify(code=409, status="Conflict", message=message, errors={}), 409
        return {"id": item_id, "retired": True}

    @app.route("/api/catalogue/institutions/<iid>", methods=["PATCH"])
    def institution_change(iid: str) -> Any:
        if request.json.get("agb_code") == "06020202":
            return named_conflict("agb_code")
        return {"id": iid, **request.json}

    @app.post("/api/catalogue/institutions/<iid>/merge")
    def merge(iid: str) -> Any:
        return {"id": iid, "status": "closed"}

    @app.get("/api/catalogue/institutions/export")
    def export() -> Any:
        return app.response_class("agb_code;name\n06010101;Ziekenhuis Noord\n", mimetype="text/csv")

    progress: dict[str, dict[str, Any]] = {}

    @app.get("/api/catalogue/institutions/import/progress/<import_id>")
    def import_progress(import_id: str) -> Any:
        if import_id not in progress:
            return jsonify(code=404, status="Not Found", message="Onbekend."), 404
        return progress[import_id]

    @app.post("/api/catalogue/institutions/import")
    def import_csv() -> Any:
        if request.args.get("import_id"):
            state = {"phase": "controleren", "done": 500, "total": 2000, "percent": 18, "finished": False}
            progress[request.args["import_id"]] = {"import_id": request.args["import_id"], **state}
        if b"fout" in request.files["file"].read():
            return jsonify(IMPORT_REFUSAL), 422
        dry = request.args.get("dry_run") == "true"
        return {"created": 2, "updated": 1, "closed": 0, "unchanged": 40, "events": 3, "dry_run": dry}


JOB = str(uuid.uuid4())


def install_years(app: Flask, fake: Any) -> None:
    """Contracting's years and rollover jobs; ``fake.support_state["job_polls"]`` counts the polls,
    and the job is done from the second poll on."""

    @app.get("/api/contracting/years")
    def contract_years() -> Any:
        if request.args.get("insurer_id") != "ins-1":
            return []
        return [{"year": 2025, "state": "closed", "collections": 4}, {"year": 2026, "state": "open", "collections": 5}]

    @app.post("/api/contracting/years/<int:year>/close")
    def close_year(year: int) -> Any:
        if year == 2025:
            return jsonify(code=409, status="Conflict", message="Contractjaar 2025 is al gesloten."), 409
        return {"year": year, "state": "closed", "collections": 5}

    @app.post("/api/contracting/rollovers")
    def rollover() -> Any:
        if request.json["from_year"] == 2025:
            body = {"code": 409, "status": "Conflict", "message": "Contractjaar 2026 bestaat al.", "errors": {}}
            return jsonify(body), 409
        return {"job_id": JOB, "state": "queued", "from_year": 2026, "to_year": 2027, **request.json}, 202

    @app.get("/api/contracting/rollovers/<job_id>")
    def rollover_job(job_id: str) -> Any:
        polls = fake.support_state["job_polls"] = fake.support_state.get("job_polls", 0) + 1
        done = polls >= 2
        return {
            "job_id": job_id,
            "insurer_id": None,
            "from_year": 2026,
            "to_year": 2027,
            "state": "done" if done else "running",
            "rows_done": 1000 if done else 400,
            "rows_total": 1000,
            "percent": 100.0 if done else 40.0,
            "collections_copied": 9 if done else 0,
        }
