"""The initiatives' pages, one module per area; urls.py reaches every view as `views.<name>`."""

from .agreements import (
    agreement_create,
    agreement_detail,
    agreement_document,
    agreement_edit,
    agreement_list,
    agreement_renew,
    agreement_status,
    our_agreements,
    pact_register,
)
from .initiatives import (
    initiative_create,
    initiative_detail,
    initiative_edit,
    initiative_list,
    initiative_move,
    propose,
)
from .objects import group_activity, object_active, object_create, object_detail, object_edit, object_list
from .participation import assessment_chart, assessments, participants
from .partners import (
    commitment_add,
    commitment_contribution,
    commitment_edit,
    milestone_add,
    milestone_reached,
    milestone_remove,
    partner_add,
    partner_remove,
)
from .public import catalogue, join, public_detail, public_poster

__all__ = [
    "public_poster",
    "object_list",
    "object_detail",
    "object_create",
    "object_edit",
    "object_active",
    "group_activity",
    "initiative_list",
    "initiative_detail",
    "initiative_create",
    "initiative_edit",
    "initiative_move",
    "propose",
    "partner_add",
    "partner_remove",
    "commitment_add",
    "commitment_edit",
    "commitment_contribution",
    "milestone_add",
    "milestone_reached",
    "milestone_remove",
    "participants",
    "assessments",
    "assessment_chart",
    "catalogue",
    "public_detail",
    "join",
    "agreement_list",
    "agreement_detail",
    "agreement_create",
    "agreement_edit",
    "agreement_status",
    "agreement_renew",
    "agreement_document",
    "our_agreements",
    "pact_register",
]
