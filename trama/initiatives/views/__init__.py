"""The initiatives' pages, one module per area; urls.py reaches every view as `views.<name>`."""

from .objects import object_list, object_detail, object_create, object_edit, object_active, group_activity
from .initiatives import (
    initiative_list,
    initiative_detail,
    initiative_create,
    initiative_edit,
    initiative_move,
    propose,
)
from .partners import (
    partner_add,
    partner_remove,
    commitment_add,
    commitment_edit,
    commitment_contribution,
    milestone_add,
    milestone_reached,
    milestone_remove,
)
from .participation import participants, assessments, assessment_chart
from .public import catalogue, public_detail, join
from .agreements import (
    agreement_list,
    agreement_detail,
    agreement_create,
    agreement_edit,
    agreement_status,
    agreement_renew,
    agreement_document,
)

__all__ = [
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
]
