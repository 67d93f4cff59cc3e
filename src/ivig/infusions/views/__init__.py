"""The nurse's pages, one module per part of the flowsheet; urls.py routes to the names re-exported here.

Views only route: writes live in actions, pump, scanning and reaction_actions; the rules in the clinical core.
"""

from ivig.infusions.views.checklist import checklist_confirm, checklist_save, identity_check, vial_scan
from ivig.infusions.views.pages import (
    get_session,
    infusion_list,
    session_flowsheet,
    session_start,
    session_status,
)
from ivig.infusions.views.record import session_record
from ivig.infusions.views.steps import (
    pump_end,
    pump_pause,
    pump_rate,
    pump_resume,
    pump_start,
    reaction_action,
    reaction_new,
    reaction_settled,
    session_discharge,
    vitals_record,
)

__all__ = [
    "checklist_confirm",
    "checklist_save",
    "get_session",
    "identity_check",
    "infusion_list",
    "pump_end",
    "pump_pause",
    "pump_rate",
    "pump_resume",
    "pump_start",
    "reaction_action",
    "reaction_new",
    "reaction_settled",
    "session_discharge",
    "session_flowsheet",
    "session_record",
    "session_start",
    "session_status",
    "vial_scan",
    "vitals_record",
]
