from tests.ae_fixtures import diary_reaction, flowsheet_reaction, quality  # noqa: F401
from tests.infusion_fixtures import dispensed_order, fixed_clock  # noqa: F401
