from tests.infusion_fixtures import dispensed_order, fixed_clock  # noqa: F401
from tests.integration.scheduling_fixtures import centre  # noqa: F401
