from tests.ae_fixtures import flowsheet_reaction  # noqa: F401
from tests.infusion_fixtures import dispensed_order, fixed_clock  # noqa: F401
