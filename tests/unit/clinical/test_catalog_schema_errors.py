"""Schema errors name the field path and the reason."""

import copy
import json
from importlib import resources
from typing import Any

import pytest

from ivig.clinical.catalog import CatalogSchemaError
from ivig.clinical.catalog.load import PACKAGED_FILE, parse_catalog, read_json


def _document() -> dict[str, Any]:
    text = resources.files("ivig.clinical").joinpath("data", PACKAGED_FILE).read_text()
    return copy.deepcopy(json.loads(text))


def _error(document: object) -> CatalogSchemaError:
    with pytest.raises(CatalogSchemaError) as caught:
        parse_catalog(document, "test.json")
    return caught.value


def test_it_names_a_missing_source() -> None:
    document = _document()
    del document["products"][0]["sodium"]["source"]
    error = _error(document)
    assert error.path == "$.products[0].sodium.source"
    assert "required" in error.reason
    assert str(error).startswith("test.json: $.products[0].sodium.source")


def test_it_rejects_an_empty_source() -> None:
    document = _document()
    document["products"][2]["iv_rates"][0]["max_rate_mg_per_kg_per_min"]["source"] = " "
    assert _error(document).path == "$.products[2].iv_rates[0].max_rate_mg_per_kg_per_min.source"


def test_it_rejects_a_null_value_without_missing_status() -> None:
    document = _document()
    document["products"][0]["storage"] = {"value": None, "source": "x"}
    error = _error(document)
    assert error.path == "$.products[0].storage.value"
    assert "missing" in error.reason


def test_it_rejects_a_wrong_type_and_an_unknown_field() -> None:
    document = _document()
    document["products"][0]["concentration_g_per_100ml"]["value"] = "ten"
    assert "expected a number" in _error(document).reason
    document = _document()
    document["products"][0]["colour"] = "blue"
    assert _error(document).path == "$.products[0].colour"


def test_it_rejects_an_unknown_indication_with_the_allowed_values() -> None:
    document = _document()
    document["products"][0]["indications"][0] = "flu"
    error = _error(document)
    assert error.path == "$.products[0].indications[0]"
    assert "kawasaki" in error.reason


def test_it_rejects_an_initial_rate_above_the_maximum() -> None:
    document = _document()
    document["products"][0]["iv_rates"][0]["initial_rate_mg_per_kg_per_min"]["value"] = 9
    error = _error(document)
    assert error.path.endswith("iv_rates[0].initial_rate_mg_per_kg_per_min")
    assert "above the maximum" in error.reason


def test_it_rejects_a_vial_volume_that_does_not_match_the_concentration() -> None:
    document = _document()
    document["products"][0]["vial_sizes"][0]["volume_ml"] = 12
    assert "does not match" in _error(document).reason


def test_it_rejects_a_conflict_without_alternatives() -> None:
    document = _document()
    document["products"][0]["sodium"] = {"value": "x", "source": "y", "status": "conflicting"}
    assert _error(document).path == "$.products[0].sodium.alternatives"


def test_it_reports_json_syntax_errors_with_line_and_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "site.json"
    broken.write_text('{"schema_version": 1,\n "source": }')
    with pytest.raises(CatalogSchemaError) as caught:
        read_json(broken)
    assert caught.value.path == "line 2 column 12"
