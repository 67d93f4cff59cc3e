"""A site file adds products and protocols, fills missing facts and tightens limits, never loosening them."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from ivig.clinical.catalog import (
    CatalogSchemaError,
    FactStatus,
    SiteLimitError,
    apply_site_config,
    default_catalog,
    load_catalog,
)
from ivig.clinical.catalog.model import Indication, StepRule

SOURCE = "Test Hospital IVIG policy v1"


def _site(**extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "source": SOURCE, **extra}


def _apply(**extra: Any):  # type: ignore[no-untyped-def]
    return apply_site_config(default_catalog(), _site(**extra), "site.json")


def test_it_reads_a_site_file_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "site.json"
    path.write_text(json.dumps(_site(overrides=[{"product": "privigen", "set": {"storage": "2-25 C"}}])))
    catalog = load_catalog(path)
    assert catalog.get("privigen").storage.value == "2-25 C"
    assert default_catalog().get("privigen").storage.status is FactStatus.MISSING  # packaged data untouched


def test_it_adds_a_local_product() -> None:
    local = copy.deepcopy(_packaged_product("bivigam"))
    local.update(slug="local-ivig", name="Local IVIG 10%", aliases=[])
    catalog = _apply(products=[local])
    assert catalog.get("local ivig 10%").maker == "ADMA"
    assert len(catalog) == 23


def test_it_rejects_a_local_product_that_clashes_with_the_catalog() -> None:
    with pytest.raises(CatalogSchemaError) as caught:
        _apply(products=[_packaged_product("bivigam")])
    assert caught.value.path == "$.products[0].slug"


def test_it_adds_a_named_titration_protocol() -> None:
    protocol = {
        "name": "plus 1 every 20 min",
        "interval_min": 20,
        "rule": "increment",
        "increment_mg_per_kg_per_min": 1,
        "source": "pharmacy committee",
    }
    catalog = _apply(protocols=[protocol])
    added = catalog.protocol("Plus 1 every 20 min")
    assert (added.rule, added.interval_min, added.increment_mg_per_kg_per_min) == (StepRule.INCREMENT, 20, 1)
    assert catalog.protocol("double every 30 min").rule is StepRule.DOUBLE


def test_it_fills_missing_rates_with_site_status_and_source() -> None:
    rates = {
        "initial_rate_mg_per_kg_per_min": 1,
        "max_rate_mg_per_kg_per_min": 8,
        "titration_interval_min": 30,
    }
    catalog = _apply(overrides=[{"product": "Gammaked", "indication": "pi", "set": rates}])
    limits = catalog.get("gammaked").iv_rate_limits(Indication.PI)
    assert limits is not None
    assert limits.max_rate_mg_per_kg_per_min.value == 8
    assert limits.max_rate_mg_per_kg_per_min.status is FactStatus.SITE
    assert limits.max_rate_mg_per_kg_per_min.source == SOURCE
    assert limits.titration.interval_min.value == 30
    itp = catalog.get("gammaked").iv_rate_limits(Indication.ITP)
    assert itp is not None and not itp.max_rate_mg_per_kg_per_min.known  # only the named indication


def test_it_accepts_a_tighter_maximum() -> None:
    catalog = _apply(
        overrides=[
            {"product": "gammagard liquid", "indication": "pi", "set": {"max_rate_mg_per_kg_per_min": 6}}
        ]
    )
    limits = catalog.get("gammagard liquid").iv_rate_limits(Indication.PI)
    assert limits is not None
    assert limits.max_rate_mg_per_kg_per_min.value == 6
    assert "8" in limits.max_rate_mg_per_kg_per_min.note  # the label value stays on record


def test_it_rejects_a_maximum_above_the_label_and_names_everything() -> None:
    with pytest.raises(SiteLimitError) as caught:
        _apply(
            overrides=[{"product": "Privigen", "indication": "itp", "set": {"max_rate_mg_per_kg_per_min": 6}}]
        )
    error = caught.value
    assert (error.product, error.indication, error.value, error.label_limit) == (
        "privigen",
        Indication.ITP,
        6,
        4,
    )
    message = str(error)
    assert (
        "privigen / itp" in message
        and "max_rate_mg_per_kg_per_min 6" in message
        and "label limit 4" in message
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("initial_rate_mg_per_kg_per_min", 1.5),  # label initial 1
        ("risk_max_rate_mg_per_kg_per_min", 4),  # label risk cap 3.3
        ("initial_duration_min", 10),  # label 30 min: shorter is looser
        ("titration_interval_min", 15),  # label 30 min
    ],
)
def test_it_rejects_every_loosening_of_a_label_limit(field: str, value: float) -> None:
    with pytest.raises(SiteLimitError):
        _apply(overrides=[{"product": "octagam 10%", "indication": "itp", "set": {field: value}}])


def test_it_rejects_filled_rates_above_a_known_label_maximum() -> None:
    with pytest.raises(SiteLimitError):
        _apply(overrides=[{"product": "gammagard liquid", "set": {"risk_max_rate_mg_per_kg_per_min": 10}}])


def test_it_applies_a_site_risk_cap_where_the_label_has_none_and_keeps_lower_label_caps() -> None:
    catalog = _apply(risk_cap_mg_per_kg_per_min=2.5)
    gammagard = catalog.get("gammagard liquid").iv_rate_limits(Indication.PI)
    carimune = catalog.get("carimune").iv_rate_limits(Indication.PI)
    panzyga = catalog.get("panzyga").iv_rate_limits(Indication.PI)
    assert gammagard is not None and carimune is not None and panzyga is not None
    assert gammagard.risk_max_rate_mg_per_kg_per_min.value == 2.5
    assert gammagard.risk_max_rate_mg_per_kg_per_min.status is FactStatus.SITE
    assert carimune.risk_max_rate_mg_per_kg_per_min.value == 2  # label cap is already lower
    assert panzyga.risk_max_rate_mg_per_kg_per_min.value == 2.5  # tighter than the label's 3.3


def test_it_lets_a_site_choose_between_conflicting_sources_only() -> None:
    catalog = _apply(overrides=[{"product": "cutaquig", "set": {"iv_to_sc_factor": 1.4}}])
    sc = catalog.get("cutaquig").sc
    assert sc is not None and sc.iv_to_sc_factor.value == 1.4
    with pytest.raises(CatalogSchemaError, match="choose one of the sourced values"):
        _apply(overrides=[{"product": "cutaquig", "set": {"iv_to_sc_factor": 1.5}}])


def test_it_never_replaces_a_label_fact() -> None:
    with pytest.raises(CatalogSchemaError, match="cannot be replaced"):
        _apply(overrides=[{"product": "octagam 5%", "set": {"storage": "anywhere"}}])


def test_it_checks_the_site_file_against_the_schema() -> None:
    with pytest.raises(CatalogSchemaError) as caught:
        _apply(overrides=[{"product": "privigen", "set": {"max_rate": 2}}])
    assert caught.value.path == "$.overrides[0].set.max_rate"
    assert caught.value.origin == "site.json"
    with pytest.raises(CatalogSchemaError, match="closest: Privigen"):
        _apply(overrides=[{"product": "privigne", "set": {"storage": "x"}}])
    with pytest.raises(CatalogSchemaError) as missing_source:
        apply_site_config(default_catalog(), {"schema_version": 1}, "site.json")
    assert missing_source.value.path == "$.source"


def _packaged_product(slug: str) -> dict[str, Any]:
    from importlib import resources

    document = json.loads(resources.files("ivig.clinical").joinpath("data", "products.json").read_text())
    return next(p for p in document["products"] if p["slug"] == slug)
