"""Every labelled indication carries the label's minimum age, with its source; an age the label data do not
give stays unknown. A site may fill or raise an age, never lower it."""

import copy
import json
from importlib import resources
from typing import Any

import pytest

from ivig.clinical.catalog import (
    CatalogSchemaError,
    FactStatus,
    SiteLimitError,
    apply_site_config,
    default_catalog,
)
from ivig.clinical.catalog.load import PACKAGED_FILE, parse_catalog
from ivig.clinical.catalog.model import Indication

PI, ITP, CIDP, MMN, DM = Indication.PI, Indication.ITP, Indication.CIDP, Indication.MMN, Indication.DM

# docs/reference/products.md s2, FDA indications column; "adults" read as 18 years.
LABELLED_AGES = {
    ("gammagard-liquid", PI): 2,
    ("gammagard-liquid", MMN): 18,
    ("gammagard-liquid", CIDP): 18,
    ("gamunex-c", PI): 2,
    ("panzyga", PI): 2,
    ("panzyga", ITP): 18,
    ("panzyga", CIDP): 18,
    ("octagam-10", ITP): 18,
    ("octagam-10", DM): 18,
    ("gammaplex-5", ITP): 18,
    ("gammaplex-10", PI): 2,
    ("gammaplex-10", ITP): 18,
    ("asceniv", PI): 12,
    ("hizentra", PI): 2,
    ("hizentra", CIDP): 18,
    ("cuvitru", PI): 2,
    ("xembify", PI): 2,
}


def test_it_gives_the_label_age_of_every_product_and_indication_in_the_reference() -> None:
    found = {
        (product.slug, row.indication): row.min_age_years.value
        for product in default_catalog().all()
        for row in product.label_ages
        if row.min_age_years.known
    }
    assert found == LABELLED_AGES


def test_it_keeps_an_age_the_reference_does_not_give_unknown() -> None:
    for product in default_catalog().all():
        assert [row.indication for row in product.label_ages] == list(product.indications), product.slug
        for row in product.label_ages:
            age = row.min_age_years
            assert age.source.startswith("docs/reference/products.md s2"), (product.slug, row.indication)
            if (product.slug, row.indication) not in LABELLED_AGES:
                assert age.status is FactStatus.MISSING and age.value is None, (product.slug, row.indication)
    assert not default_catalog().get("privigen").label_min_age(PI).known
    assert not default_catalog().get("gammaked").label_min_age(PI).known  # "same as Gamunex-C (unverified)"


def test_it_says_adults_means_18_years_in_the_source() -> None:
    age = default_catalog().get("octagam 10%").label_min_age(ITP)
    assert age.value == 18
    assert "'chronic ITP adults'" in age.source and "adults' read as 18 years" in age.source


def test_it_gives_a_missing_age_for_an_indication_without_a_row() -> None:
    document = _document()
    del document["products"][0]["label_ages"]
    gammagard = parse_catalog(document, "test.json").get("gammagard-liquid")
    assert [row.min_age_years.status for row in gammagard.label_ages] == [FactStatus.MISSING] * 3
    assert gammagard.label_min_age(PI).source


def test_it_rejects_a_label_age_for_an_indication_the_product_is_not_labelled_for() -> None:
    document = _document()
    document["products"][0]["label_ages"][0]["indication"] = "itp"
    with pytest.raises(CatalogSchemaError) as caught:
        parse_catalog(document, "test.json")
    assert caught.value.path == "$.products[0].label_ages[0].indication"


def test_a_site_fills_a_missing_age_and_raises_a_label_age() -> None:
    catalog = _site(
        {"product": "privigen", "indication": "pi", "set": {"min_age_years": 2}},
        {"product": "gammagard liquid", "indication": "pi", "set": {"min_age_years": 6}},
    )
    privigen = catalog.get("privigen").label_min_age(PI)
    assert (privigen.value, privigen.status, privigen.source) == (2, FactStatus.SITE, "Test Hospital policy")
    assert catalog.get("gammagard liquid").label_min_age(PI).value == 6
    assert not catalog.get("privigen").label_min_age(ITP).known  # only the named indication


def test_a_site_may_never_lower_a_label_age() -> None:
    with pytest.raises(SiteLimitError) as caught:
        _site({"product": "asceniv", "indication": "pi", "set": {"min_age_years": 2}})
    assert caught.value.field == "min_age_years"
    assert caught.value.label_limit == 12


def _site(*overrides: dict[str, Any]):  # type: ignore[no-untyped-def]
    document = {"schema_version": 1, "source": "Test Hospital policy", "overrides": list(overrides)}
    return apply_site_config(default_catalog(), document, "site.json")


def _document() -> dict[str, Any]:
    text = resources.files("ivig.clinical").joinpath("data", PACKAGED_FILE).read_text()
    return copy.deepcopy(json.loads(text))
