"""What each audit action code means, in words: the audit page shows these, the code stays searchable.

One table for the whole code base; tests/integration/audit/test_audit_labels.py finds every code the code base
records and fails when one has no label here.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    # Patients and their chart
    "patient.create": "Patient registered",
    "patient.update": "Patient details changed",
    "patient.wristband_print": "Wristband label printed",
    "patient.chart_read": "Patient chart opened",
    "patient.portal_link": "Portal account linked to the patient",
    "allergy.create": "Allergy recorded",
    "allergy.deactivate": "Allergy marked inactive",
    "measurement.create": "Weight or height recorded",
    "lab.create": "Lab result entered",
    "lab.import": "Lab result imported",
    "identifier_system.add": "Identifier system mapped for FHIR import",
    "identifier_system.change": "Identifier system mapping changed",
    "identifier_system.delete": "Identifier system mapping removed",
    "criteria.add_version": "Indication criteria: new version",
    # Orders
    "order.draft_save": "Order draft saved",
    "order.repeat": "Order repeated from an earlier one",
    "order.revise": "Order revised",
    "order.sign": "Order signed",
    "order.overlap_acknowledged": "Second active order acknowledged",
    "order.approve": "Order approved",
    "order.refuse": "Order refused",
    "order.verify": "Order verified by pharmacy",
    "order.dispense": "Order dispensed",
    "order.in_progress": "Course started",
    "order.completed": "Course completed",
    "order.cancel": "Order cancelled",
    "order.infusion_sent_back": "Order sent back from the infusion",
    "order.sheet_pdf": "Order sheet printed as PDF",
    # Infusions (the flowsheet)
    "infusion.session_open": "Infusion opened",
    "infusion.checklist_save": "Pre-infusion checklist saved",
    "infusion.checklist_confirm": "Pre-infusion checklist confirmed",
    "infusion.identity_confirmed": "Patient identified at the bedside",
    "infusion.identity_refused": "Bedside identity check refused (wrong patient)",
    "infusion.vial_scan": "Vial scanned",
    "infusion.vial_refused": "Vial scan refused",
    "infusion.pump_start": "Pump started",
    "infusion.pump_pause": "Pump paused",
    "infusion.pump_resume": "Pump resumed",
    "infusion.pump_end": "Infusion ended",
    "infusion.vitals": "Vital signs recorded",
    "infusion.reaction": "Reaction recorded",
    "infusion.reaction_action": "Reaction: action taken",
    "infusion.reaction_settled": "Reaction settled",
    "infusion.conflict": "Flowsheet save refused (another device saved first)",
    "infusion.sent_back": "Infusion sent back to the prescriber",
    "infusion.discharge": "Patient discharged",
    # Scheduling
    "appointment.book": "Appointment booked",
    "appointment.move": "Appointment moved",
    "appointment.cancel": "Appointment cancelled",
    "appointment.optimise": "Day re-planned",
    "appointment.arrived": "Patient arrived",
    "appointment.started": "Appointment started",
    "appointment.completed": "Appointment completed",
    "appointment.no_show": "No-show recorded",
    # Stock
    "stock.product_register": "Product registered",
    "stock.product_gtin": "Product barcode (GTIN) changed",
    "stock.receive": "Stock received",
    "stock.dispense": "Stock dispensed",
    "stock.transfer": "Stock transferred",
    "stock.count": "Stock counted",
    "stock.waste": "Stock wasted",
    "stock.location_change": "Storage location changed",
    "stock.lot_available": "Lot released",
    "stock.lot_quarantined": "Lot quarantined",
    "stock.lot_recalled": "Lot recalled",
    # Follow-up and portal
    "followup.start": "72-hour follow-up started",
    "followup.diary_entry": "Diary entry recorded",
    "followup.contact": "Call to the family recorded",
    "portal.invite": "Portal invitation sent",
    "portal.invitation_revoke": "Portal invitation revoked",
    "portal.link": "Portal account linked",
    "portal.message": "Message left on the patient's portal",
    "portal.message_read": "Portal message read by the family",
    # Conservation proposals and product substitution (issue 20)
    "conservation.propose": "Conservation proposals generated",
    "conservation.accept": "Conservation proposal accepted (new order)",
    "conservation.decline": "Conservation proposal declined",
    "conservation.supersede": "Conservation proposal superseded",
    "conservation.substitute": "Product switched in a shortage",
    "conservation.notice_seen": "Product-change notice seen by a nurse",
    # Adverse events
    "hemovigilance.ae_open": "Adverse-event report opened",
    "hemovigilance.ae_link": "Diary reaction added to an adverse-event report",
    "hemovigilance.ae_update": "Adverse-event report changed",
    "hemovigilance.ae_review_start": "Adverse-event review started",
    "hemovigilance.ae_reviewed": "Adverse-event review completed",
    "hemovigilance.ae_reported": "Adverse event reported to the regulator",
    "hemovigilance.ae_closed": "Adverse-event report closed (not reportable)",
    "hemovigilance.ae_medwatch_export": "Adverse-event register exported (MedWatch CSV)",
    "hemovigilance.lookback_export": "Recall lookback exported with patient names (CSV)",
    # Outcomes
    "outcome.review": "Outcome review recorded",
    "outcome.infection": "Infection recorded",
    "outcome.bleeding": "Bleeding recorded",
    "outcome.disability": "Disability score recorded",
    "outcome.trial_start": "Dose trial started",
    "outcome.trial_result": "Dose trial result recorded",
    # The system
    "site_settings.update": "Site settings changed",
    # Operations
    "ops.backup": "Database backed up",
    "ops.restore": "Database restored from a backup",
    "fhir.token_create": "API token created",
    "fhir.token_revoke": "API token revoked",
    "fhir.export": "FHIR bulk export started",
    "fhir.export_cancel": "FHIR bulk export cancelled",
    "fhir.export_delete": "FHIR bulk export deleted by its client",
    "fhir.export_download": "FHIR bulk export file downloaded",
    "fhir.read": "Record read through the FHIR API",
    "fhir.search": "Records searched through the FHIR API",
    # Two-factor sign-in (ivig.accounts.two_factor)
    "two_factor.enrol": "Two-factor sign-in set up (authenticator app)",
    "two_factor.verify": "Sign-in verified with a two-factor code",
    "two_factor.code_refused": "Two-factor code refused",
    "two_factor.locked_out": "Two-factor code refused: locked after repeated wrong codes",
    "two_factor.recovery_code_used": "Two-factor recovery code used",
    "two_factor.recovery_codes_new": "Two-factor recovery codes regenerated",
    "two_factor.device_remove": "Two-factor device removed by its user",
    "two_factor.device_remove_by_admin": "Two-factor device removed by an administrator",
    # SMART App Launch and Backend Services (ivig.smart)
    "smart.app_register": "SMART app registered",
    "smart.app_change": "SMART app changed",
    "smart.app_delete": "SMART app deleted",
    "smart.launch": "SMART app launched for a patient",
    "smart.token_issue": "SMART access token issued",
    # Sign-in and the Django admin
    "account.sign_in": "Signed in",
    "account.sign_out": "Signed out",
    "account.sign_in_failed": "Failed sign-in",
    "account.locked": "Sign-in locked after repeated failures",
    "user.privileges_change": "Roles or staff/superuser flags changed",
    "admin.add": "Added in the admin",
    "admin.change": "Changed in the admin",
    "admin.delete": "Deleted in the admin",
}


def action_label(code: str) -> str:
    """The label for `code`; a code not in the table (an old or new one) is shown in words, never hidden."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    words = code.replace(".", ": ", 1).replace("_", " ")
    return words[:1].upper() + words[1:]
