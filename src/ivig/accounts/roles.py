"""Roles as classes that list their permissions (opensafely job-server style).

Each role becomes a Django group with exactly these permissions; `sync_role_groups` makes it so and is run
by a migration (and again whenever a later migration adds permissions).
"""

from __future__ import annotations

from typing import Any, ClassVar

VIEW_PATIENT = "patients.view_patient"
ADD_PATIENT = "patients.add_patient"
CHANGE_PATIENT = "patients.change_patient"
VIEW_OWN_RECORD = "patients.view_own_record"
VIEW_AUDIT = "audit.view_auditevent"
CHANGE_SITE_SETTINGS = "siteconfig.change_sitesettings"
VIEW_SITE_SETTINGS = "siteconfig.view_sitesettings"
VIEW_STOCK = "inventory.view_lot"
RECEIVE_STOCK = "inventory.receive_stock"
DISPENSE_STOCK = "inventory.dispense_stock"
HOLD_LOT = "inventory.hold_lot"
TRANSFER_STOCK = "inventory.transfer_stock"
WASTE_STOCK = "inventory.waste_stock"
COUNT_STOCK = "inventory.count_stock"
MANAGE_LOCATIONS = "inventory.change_location"
STOCK_PERMISSIONS = (
    VIEW_STOCK,
    RECEIVE_STOCK,
    DISPENSE_STOCK,
    HOLD_LOT,
    TRANSFER_STOCK,
    WASTE_STOCK,
    COUNT_STOCK,
    MANAGE_LOCATIONS,
)
RUN_LOOKBACK = "hemovigilance.run_lookback"
VIEW_ADVERSE_EVENTS = "hemovigilance.view_adverse_events"  # the adverse-event register and its exports
REVIEW_ADVERSE_EVENTS = "hemovigilance.review_adverse_events"  # review, report to the regulator, close
VIEW_REPORTS = "reports.view_reports"  # usage, safety and compliance reports with CSV
# The Supply page (days of stock, phase, affected patients, shortage reports) and declaring the shortage phase
# (issue 20): the stewardship roles, Pharmacist, Quality and Admin. Categories and phase rules: Admin only
# (CHANGE_SITE_SETTINGS).
VIEW_SUPPLY = "siteconfig.view_shortagephasedeclaration"
DECLARE_SHORTAGE_PHASE = "siteconfig.declare_shortage_phase"
SUPPLY_PERMISSIONS = (VIEW_SUPPLY, DECLARE_SHORTAGE_PHASE)
VIEW_ORDER = "orders.view_therapyorder"
PRESCRIBE = "orders.prescribe"
VERIFY_ORDER = "orders.verify_order"
APPROVE_ORDER = "orders.approve_order"
VIEW_CRITERIA = "orders.view_indicationcriteria"
MANAGE_CRITERIA = "orders.manage_criteria"
VIEW_FOLLOWUP_WORKLIST = "followup.view_worklist"
RECORD_FOLLOWUP_CONTACT = "followup.record_contact"
START_FOLLOW_UP = "followup.start_follow_up"
INVITE_PORTAL_USER = "portal.invite_portal_user"
FOLLOWUP_PERMISSIONS = (VIEW_FOLLOWUP_WORKLIST, RECORD_FOLLOWUP_CONTACT, START_FOLLOW_UP, INVITE_PORTAL_USER)
VIEW_LABS = "patients.view_labresult"
ADD_LAB = "patients.add_labresult"  # typed entry and CSV import
VIEW_OUTCOMES = "outcomes.view_outcomes"  # outcomes, reviews, IgG pharmacokinetics
RECORD_OUTCOMES = "outcomes.record_outcomes"  # infections, bleeds, disability scores, review outcomes
RUN_DOSE_TRIAL = "outcomes.run_dose_trial"  # start a dose-reduction or withdrawal trial, decide its end
VIEW_CONSERVATION = "conservation.view_conservationproposal"  # proposals, grams saved, product-change notices
PROPOSE_CONSERVATION = "conservation.propose_conservation"  # generate drafts; propose a product switch
VIEW_INFUSION = "infusions.view_infusionsession"
ADMINISTER_INFUSION = "infusions.administer_infusion"
VIEW_APPOINTMENT = "scheduling.view_appointment"
BOOK_APPOINTMENT = "scheduling.book_appointment"
# The site table of other organisations' patient identifier systems (FHIR import), kept in the Django admin.
IDENTIFIER_SYSTEMS = tuple(
    f"patients.{action}_identifiersystem" for action in ("view", "add", "change", "delete")
)
# Chairs, nurse shifts and the centre's hours, kept in the Django admin.
SCHEDULING_RESOURCES = (
    "scheduling.view_chair",
    "scheduling.add_chair",
    "scheduling.change_chair",
    "scheduling.view_nurseshift",
    "scheduling.add_nurseshift",
    "scheduling.change_nurseshift",
    "scheduling.delete_nurseshift",
    "scheduling.view_centrehours",
    "scheduling.change_centrehours",
    "scheduling.view_homenurse",
    "scheduling.add_homenurse",
    "scheduling.change_homenurse",
)

# The site tables an Admin keeps in the Django admin (each save audited there): care sites, the vital-sign
# ranges, SMART apps; and the failed sign-ins to look at.
ADMIN_SITE_TABLES = (
    "siteconfig.view_caresite",
    "siteconfig.add_caresite",
    "siteconfig.change_caresite",
    "infusions.view_vitalsignrange",
    "infusions.add_vitalsignrange",
    "infusions.change_vitalsignrange",
    "oauth2_provider.view_application",
    "oauth2_provider.add_application",
    "oauth2_provider.change_application",
    "oauth2_provider.delete_application",
    "smart.view_smartclient",
    "smart.add_smartclient",
    "smart.change_smartclient",
    "accounts.view_loginfailure",
    "conservation.view_conservationpolicy",
    "conservation.change_conservationpolicy",
)


class Role:
    name: ClassVar[str]
    description: ClassVar[str]
    permissions: ClassVar[tuple[str, ...]]


class Prescriber(Role):
    name = "Prescriber"
    description = "Writes and signs therapy orders."
    permissions = (
        VIEW_PATIENT,
        ADD_PATIENT,
        CHANGE_PATIENT,
        VIEW_SITE_SETTINGS,
        VIEW_ORDER,
        PRESCRIBE,
        VIEW_CRITERIA,
        VIEW_LABS,
        ADD_LAB,
        VIEW_OUTCOMES,
        RECORD_OUTCOMES,
        RUN_DOSE_TRIAL,
        VIEW_INFUSION,
        VIEW_CONSERVATION,
        PROPOSE_CONSERVATION,
    )


class Pharmacist(Role):
    name = "Pharmacist"
    description = "Verifies orders and dispenses product."
    # Reads patients, never edits them: demographics, weights and allergies are kept by the prescriber, the
    # nurse and the admin (docs/getting-started.md role table; issue 22).
    permissions = (
        VIEW_PATIENT,
        VIEW_SITE_SETTINGS,
        *STOCK_PERMISSIONS,
        VIEW_ORDER,
        VERIFY_ORDER,
        VIEW_CRITERIA,
        VIEW_LABS,
        VIEW_OUTCOMES,
        VIEW_INFUSION,
        RUN_LOOKBACK,
        VIEW_REPORTS,
        *SUPPLY_PERMISSIONS,
        VIEW_CONSERVATION,
        PROPOSE_CONSERVATION,
    )


class Nurse(Role):
    name = "Nurse"
    description = "Gives infusions in the centre or at home and records what happened."
    permissions = (
        VIEW_PATIENT,
        ADD_PATIENT,
        CHANGE_PATIENT,
        VIEW_SITE_SETTINGS,
        VIEW_ORDER,
        *FOLLOWUP_PERMISSIONS,
        VIEW_LABS,
        ADD_LAB,
        VIEW_OUTCOMES,
        RECORD_OUTCOMES,
        VIEW_INFUSION,
        ADMINISTER_INFUSION,
        VIEW_APPOINTMENT,
        VIEW_CONSERVATION,
    )


class Scheduler(Role):
    name = "Scheduler"
    description = "Registers patients and books chairs and nurses."
    permissions = (VIEW_PATIENT, ADD_PATIENT, VIEW_SITE_SETTINGS, VIEW_APPOINTMENT, BOOK_APPOINTMENT)


class Quality(Role):
    name = "Quality"
    description = "Reviews the audit trail, adverse events and usage; decides on authorisations."
    permissions = (
        VIEW_PATIENT,
        VIEW_AUDIT,
        VIEW_SITE_SETTINGS,
        VIEW_ORDER,
        VIEW_FOLLOWUP_WORKLIST,
        APPROVE_ORDER,
        VIEW_CRITERIA,
        MANAGE_CRITERIA,
        VIEW_LABS,
        VIEW_OUTCOMES,
        VIEW_INFUSION,
        RUN_LOOKBACK,
        HOLD_LOT,  # a recall lookback quarantines the lot's remaining stock
        VIEW_ADVERSE_EVENTS,
        REVIEW_ADVERSE_EVENTS,
        VIEW_REPORTS,
        *SUPPLY_PERMISSIONS,
        VIEW_CONSERVATION,
        PROPOSE_CONSERVATION,
    )


class Approver(Role):
    name = "Approver"
    description = "Decides on orders that need authorisation (an immunoglobulin panel member)."
    permissions = (
        VIEW_PATIENT,
        VIEW_SITE_SETTINGS,
        VIEW_ORDER,
        APPROVE_ORDER,
        VIEW_CRITERIA,
        VIEW_LABS,
        VIEW_OUTCOMES,
    )


class Patient(Role):
    name = "Patient"
    description = "A patient or family member using the portal; sees only their own record."
    permissions = (VIEW_OWN_RECORD,)


class Admin(Role):
    name = "Admin"
    description = "Runs the system: users, site settings, audit."
    permissions = (
        VIEW_PATIENT,
        ADD_PATIENT,
        CHANGE_PATIENT,
        VIEW_AUDIT,
        VIEW_SITE_SETTINGS,
        CHANGE_SITE_SETTINGS,
        *IDENTIFIER_SYSTEMS,
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        *STOCK_PERMISSIONS,
        VIEW_ORDER,
        VIEW_CRITERIA,
        MANAGE_CRITERIA,
        *FOLLOWUP_PERMISSIONS,
        VIEW_LABS,
        VIEW_OUTCOMES,
        VIEW_INFUSION,
        VIEW_APPOINTMENT,
        BOOK_APPOINTMENT,
        *SCHEDULING_RESOURCES,
        *ADMIN_SITE_TABLES,
        RUN_LOOKBACK,
        VIEW_ADVERSE_EVENTS,
        REVIEW_ADVERSE_EVENTS,
        VIEW_REPORTS,
        *SUPPLY_PERMISSIONS,
    )


ROLES: tuple[type[Role], ...] = (Prescriber, Pharmacist, Nurse, Scheduler, Quality, Approver, Patient, Admin)
STAFF_ROLES: tuple[type[Role], ...] = tuple(role for role in ROLES if role is not Patient)


def role_by_name(name: str) -> type[Role]:
    for role in ROLES:
        if role.name.lower() == name.lower():
            return role
    raise KeyError(name)


def sync_role_groups(apps: Any = None) -> None:
    """Make one group per role holding exactly the role's permissions.

    Works inside a migration (pass its `apps`) and at run time. Permissions are created first, because on a
    fresh database Django only makes them after the last migration has run.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    registry = apps or global_apps
    for app_config in registry.get_app_configs():
        # Migration state apps have no models module, and create_permissions skips such apps.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, verbosity=0, apps=registry)
        finally:
            app_config.models_module = original
    group_model = registry.get_model("auth", "Group")
    permission_model = registry.get_model("auth", "Permission")
    migrated = {app_config.label for app_config in registry.get_app_configs()}
    # Inside a migration, a model (or an app) may not exist yet: its permissions come with the later
    # migration that calls this function again. At run time every permission must exist.
    defined = _defined_permissions(registry) if apps is not None else None
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role.name)
        wanted = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".", 1)
            if app_label not in migrated or (defined is not None and dotted not in defined):
                continue
            try:
                wanted.append(
                    permission_model.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except permission_model.DoesNotExist:
                if apps is not None:
                    # Inside a migration the permission's model may come in a later migration of its app,
                    # which calls this function again.
                    continue
                raise LookupError(f"role {role.name}: permission {dotted} does not exist") from None
        group.permissions.set(wanted)


def _defined_permissions(registry: Any) -> set[str]:
    """Return "app.codename" of every permission the registry's models define (default and custom)."""
    defined: set[str] = set()
    for model in registry.get_models():
        meta = model._meta
        defined.update(f"{meta.app_label}.{action}_{meta.model_name}" for action in meta.default_permissions)
        defined.update(f"{meta.app_label}.{codename}" for codename, _name in meta.permissions)
    return defined
