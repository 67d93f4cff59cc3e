"""Values the reference marks MISSING stay unknown (a site must configure them)."""

import pytest

from ivig.clinical.catalog import FactStatus, default_catalog
from ivig.clinical.catalog.model import Indication


@pytest.mark.parametrize("name", ["Gammagard S/D", "Alyglo", "Gammaked", "Yimmugo"])
def test_it_keeps_iv_rates_missing_where_the_reference_has_none(name: str) -> None:
    product = default_catalog().get(name)
    assert product.iv_rates
    for limits in product.iv_rates:
        for fact in (
            limits.initial_rate_mg_per_kg_per_min,
            limits.initial_duration_min,
            limits.max_rate_mg_per_kg_per_min,
            limits.risk_max_rate_mg_per_kg_per_min,
            limits.titration.interval_min,
        ):
            assert fact.status is FactStatus.MISSING and fact.value is None


def test_it_gives_no_numeric_risk_cap_where_the_label_has_only_the_boxed_warning() -> None:
    gammagard = default_catalog().get("gammagard liquid").iv_rate_limits(Indication.PI)
    assert gammagard is not None
    assert not gammagard.risk_max_rate_mg_per_kg_per_min.known
    assert "site cap" in gammagard.risk_max_rate_mg_per_kg_per_min.source


def test_it_keeps_hyqvia_vials_and_excipients_unknown() -> None:
    hyqvia = default_catalog().get("HyQvia")
    assert hyqvia.vial_sizes == ()
    assert not hyqvia.excipients_known
    assert not hyqvia.iga_ug_per_ml.known


def test_it_keeps_unlisted_indications_unknown() -> None:
    for name in ("Yimmugo", "Carimune NF"):
        product = default_catalog().get(name)
        assert product.indications == ()
        assert not product.indication_notes.known
