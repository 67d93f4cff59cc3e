"""The site's vital-signs monitoring settings as the clinical core's type, for the flowsheet and the sheet."""

from __future__ import annotations

from django.conf import settings

from ivig.clinical.infusion.monitoring import MonitoringSettings


def monitoring_settings() -> MonitoringSettings:
    return MonitoringSettings(
        after_start_min=settings.IVIG_VITALS_AFTER_START_MIN,
        before_each_increase=settings.IVIG_VITALS_BEFORE_INCREASE,
        observe_after_min=settings.IVIG_OBSERVE_AFTER_MIN,
        observe_after_first_min=settings.IVIG_OBSERVE_AFTER_FIRST_MIN,
        early_window_min=settings.IVIG_VITALS_EARLY_MIN,
        grace_min=settings.IVIG_VITALS_GRACE_MIN,
    )
