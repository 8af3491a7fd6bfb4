"""Schemas of the data change requests resource."""

from marshmallow import fields, validate

from servicekit.schemas import BaseSchema, PageArgsSchema, PageSchema, page_size_field
from support.api.common import CaseSchema
from support.domain.change_requests import CONTRACT_STATUSES, INSTITUTION_TYPES, RequestKind
from support.domain.model import RequestStatus
from support.queries import MAX_PAGE_SIZE

MULTILINE = {"multiline": True}
IDS = {"description": "Ids uit de catalogus."}


class ProposalFieldsSchema(BaseSchema):
    """The proposed data; each kind takes its own fields only (see the operation's description)."""

    # (a) new_institution: "Ziekenhuis of kliniek"
    name = fields.String(allow_none=True)
    agb_code = fields.String(allow_none=True, metadata={"description": "8 cijfers."})
    type = fields.String(allow_none=True, metadata={"description": ", ".join(INSTITUTION_TYPES)})
    address = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    specialism_id = fields.String(allow_none=True, metadata={"description": "(a) en (b): het specialisme."})
    condition_id = fields.String(allow_none=True, metadata={"description": "(a): de aandoening."})
    # (b) new_condition: "Aandoening of behandeling"
    condition_name = fields.String(allow_none=True)
    institution_ids = fields.List(fields.String(), allow_none=True, metadata=IDS)
    # offering_change: "Wijziging in het behandelaanbod"
    institution_id = fields.String(allow_none=True)
    add_specialism_ids = fields.List(fields.String(), allow_none=True, metadata=IDS)
    add_condition_ids = fields.List(fields.String(), allow_none=True, metadata=IDS)
    remove_specialism_ids = fields.List(fields.String(), allow_none=True, metadata=IDS)
    remove_condition_ids = fields.List(fields.String(), allow_none=True, metadata=IDS)


class RequestCreateSchema(ProposalFieldsSchema):
    kind = fields.String(required=True, metadata={"description": ", ".join(k.value for k in RequestKind)})
    requester_name = fields.String(allow_none=True, metadata={"description": "Standaard de ingelogde gebruiker."})
    requester_email = fields.String(allow_none=True, metadata={"description": "Hierheen gaan de e-mails."})
    explanation = fields.String(allow_none=True, metadata=MULTILINE)
    collection_id = fields.UUID(allow_none=True, metadata={"description": "Uw collectie voor de nieuwe gegevens."})
    collection_status = fields.String(
        allow_none=True,
        validate=validate.OneOf(CONTRACT_STATUSES),
        metadata={"description": "Status in die collectie."},
    )


class RequestCorrectSchema(ProposalFieldsSchema):
    version = fields.Integer(
        allow_none=True, metadata={"description": "Versie die u las (optimistische vergrendeling)."}
    )


class RequestStatusSchema(BaseSchema):
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in RequestStatus]))
    reason = fields.String(allow_none=True, metadata={"description": "Verplicht bij afwijzen.", **MULTILINE})
    version = fields.Integer(allow_none=True)


class RequestSchema(CaseSchema):
    number = fields.String(metadata={"description": "Leesbaar nummer, bijvoorbeeld DW-2026-0001."})
    requester_name = fields.String()
    requester_email = fields.String(allow_none=True)
    kind = fields.String()
    proposal = fields.Dict()
    explanation = fields.String(allow_none=True)
    collection_id = fields.String(allow_none=True)
    collection_status = fields.String(allow_none=True)
    linked_request_id = fields.String(
        allow_none=True, metadata={"description": "Eerder open verzoek met dezelfde inhoud."}
    )
    linked_request_number = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "submitted, in_review, approved, rejected, withdrawn."})
    reason = fields.String(allow_none=True)
    submitted_on = fields.Date()
    due_on = fields.Date(metadata={"description": "Antwoord uiterlijk: 5 werkdagen na indienen (R15)."})
    overdue = fields.Boolean()
    decided_at = fields.DateTime(allow_none=True)
    decided_by = fields.String(allow_none=True)
    version = fields.Integer()


class RequestPageSchema(PageSchema):
    items = fields.List(fields.Nested(RequestSchema))


class RequestQueryArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf([s.value for s in RequestStatus]))
    overdue = fields.Boolean(metadata={"description": "Alleen (of juist geen) verzoeken over hun termijn."})
    page_size = page_size_field(25, MAX_PAGE_SIZE)
