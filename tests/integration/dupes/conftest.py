from tests.infusion_fixtures import dispensed_order, fixed_clock  # noqa: F401
