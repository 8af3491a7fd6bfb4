"""The products API (R13) as the fake gateway answers it: two products of insurer ``ins-1`` for the
login year, two of its collections, and "Koppel producten" that refuses every row naming a
collection it does not know, all or nothing, with the products service's per-row report."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask, jsonify, request

BASIS = str(uuid.uuid4())
SELECTIEF = str(uuid.uuid4())
NATURA = str(uuid.uuid4())
RESTITUTIE = str(uuid.uuid4())
COMPANY = str(uuid.uuid4())


def products() -> list[dict[str, Any]]:
    def product(pid: str, name: str, code: str, kind: str, collection: tuple[str, str] | None) -> dict[str, Any]:
        return {
            "product_id": pid, "name": name, "code": code, "kind": kind, "year": 2026,
            "company_id": "comp-1", "company_name": "Zorgverzekeraar A N.V.", "uzovi_code": "3311",
            "insurer_id": "ins-1", "carried_from_id": None,
            "collection_id": collection[0] if collection else None,
            "collection_name": collection[1] if collection else None,
        }  # fmt: skip

    return [
        product(NATURA, "Natura Zorg", "NAT-26", "natura", (BASIS, "Basis 2026")),
        product(RESTITUTIE, "Vrije Keuze", "RES-26", "restitutie", None),
    ]


def install_products(app: Flask, fake: Any) -> None:
    state = fake.products_state
    state.setdefault("links", {p["product_id"]: p["collection_id"] for p in products()})
    names = {BASIS: "Basis 2026", SELECTIEF: "Selectief 2026"}

    @app.get("/api/products/links")
    def product_links() -> Any:
        return [
            {**p, "collection_id": state["links"][p["product_id"]], "collection_name": names.get(state["links"][p["product_id"]] or "")}
            for p in products()
        ]  # fmt: skip

    @app.get("/api/products/collections")
    def product_collections() -> Any:
        return [
            {"collection_id": cid, "name": name, "insurer_id": "ins-1", "year": 2026, "collection_type": "basis"}
            for cid, name in names.items()
        ]

    @app.put("/api/products/links")
    def product_link() -> Any:
        rows = request.json["rows"]
        refused = {
            str(i): {"collection_id": ["R13: deze collectie hoort niet bij uw verzekeraar of dit contractjaar."]}
            for i, row in enumerate(rows)
            if row["collection_id"] is not None and row["collection_id"] not in names
        }
        if refused:
            body = {"code": 422, "status": "Unprocessable Entity", "message": "R13: niets gekoppeld; zie de regels."}
            return jsonify(**body, errors={"json": {"rows": refused}}), 422
        changed = sum(state["links"][row["product_id"]] != row["collection_id"] for row in rows)
        for row in rows:
            state["links"][row["product_id"]] = row["collection_id"]
        return {"count": len(rows), "changed": changed}


def install_companies(app: Flask, fake: Any) -> None:
    """Companies as the products service keeps them: a taken UZOVI code is refused (409)."""
    state = fake.products_state
    state.setdefault("companies", [{"company_id": COMPANY, "name": "Zorgverzekeraar A N.V.", "uzovi_code": "3311", "insurer_id": "ins-1"}])  # fmt: skip

    @app.get("/api/products/companies")
    def product_companies() -> Any:
        return state["companies"]

    @app.post("/api/products/companies")
    def product_company_create() -> Any:
        body = request.json
        if any(c["uzovi_code"] == body["uzovi_code"] for c in state["companies"]):
            message = f"UZOVI-code {body['uzovi_code']} is al in gebruik."
            return jsonify(code=409, status="Conflict", message=message, errors={"uzovi_code": [message]}), 409
        created = {"company_id": str(uuid.uuid4()), **body}
        state["companies"].append(created)
        return created, 201

    @app.get("/api/products/companies/<company_id>")
    def product_company(company_id: str) -> Any:
        found = [c for c in state["companies"] if c["company_id"] == company_id]
        return found[0] if found else (jsonify(code=404, status="Not Found", message="Deze maatschappij bestaat niet."), 404)  # fmt: skip

    @app.patch("/api/products/companies/<company_id>")
    def product_company_change(company_id: str) -> Any:
        found = [c for c in state["companies"] if c["company_id"] == company_id]
        if not found:
            return jsonify(code=404, status="Not Found", message="Deze maatschappij bestaat niet."), 404
        found[0].update(request.json)
        return found[0]


def install_publication_dates(app: Flask, fake: Any) -> None:
    """Publication dates (R17) as the products service answers them: 12 November of the year before
    until one is set; a date after 1 January of the year itself is refused (422)."""
    state = fake.products_state.setdefault("publication_dates", {})

    @app.get("/api/products/publication-dates/<insurer_id>/<int:year>")
    def publication_date(insurer_id: str, year: int) -> Any:
        chosen = state.get((insurer_id, year))
        publish_from = chosen or f"{year - 1}-11-12"
        return {"insurer_id": insurer_id, "year": year, "publish_from": publish_from, "is_default": chosen is None}

    @app.put("/api/products/publication-dates/<insurer_id>/<int:year>")
    def publication_date_set(insurer_id: str, year: int) -> Any:
        publish_from = request.json["publish_from"]
        if publish_from > f"{year}-01-01":
            message = "Publicatiedatum: uiterlijk 1 januari van het contractjaar."
            return jsonify(code=422, status="Unprocessable Entity", message=message, errors={"publish_from": [message]}), 422  # fmt: skip
        state[(insurer_id, year)] = publish_from
        return {"insurer_id": insurer_id, "year": year, "publish_from": publish_from, "is_default": False}
