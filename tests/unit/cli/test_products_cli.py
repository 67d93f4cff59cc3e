"""`ivig products` lists the catalog and shows one product with sources; bad names exit 2 with suggestions."""

import json

from typer.testing import CliRunner

from ivig.cli import app

runner = CliRunner()


def test_it_lists_every_product() -> None:
    result = runner.invoke(app, ["products"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for name in ("Gammagard Liquid", "Cutaquig", "HyQvia", "Carimune NF (discontinued)"):
        assert name in result.output


def test_it_lists_the_catalog_as_json() -> None:
    result = runner.invoke(app, ["products", "--json"])
    assert result.exit_code == 0, result.output
    products = json.loads(result.output)
    assert len(products) == 22
    gammagard = next(p for p in products if p["slug"] == "gammagard-liquid")
    assert gammagard["routes"] == ["iv", "sc"]
    assert gammagard["vial_sizes"][0] == {
        "grams": 1.0,
        "volume_ml": 10.0,
        "source": gammagard["vial_sizes"][0]["source"],
    }


def test_it_shows_one_product_with_sources_and_unknowns() -> None:
    result = runner.invoke(app, ["products", "show", "GAMMAGARD liquid"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "gammagard.com/hcp/pidd" in result.output
    assert "Maximum rate" in result.output and "8 mg/kg/min" in result.output
    assert "not in label data" in result.output  # no numeric risk cap in the label


def test_it_shows_one_product_as_json_with_display_text() -> None:
    result = runner.invoke(app, ["products", "show", "octagam-10", "--json"])
    assert result.exit_code == 0, result.output
    product = json.loads(result.output)
    assert product["name"] == "Octagam 10%"
    sodium = product["sodium"]
    assert (sodium["value"], sodium["status"], sodium["display"]) == (None, "missing", "not in label data")
    itp = next(r for r in product["iv_rates"] if r["indication"] == "itp")
    assert itp["titration"]["sequence_mg_per_kg_per_min"] == [2, 4, 8, 12]
    assert itp["risk_max_rate_mg_per_kg_per_min"]["value"] == 3.3


def test_it_exits_2_with_suggestions_for_an_unknown_name() -> None:
    result = runner.invoke(app, ["products", "show", "gamagard"])
    assert result.exit_code == 2
    assert "Unknown product 'gamagard'" in result.output
    assert "Gammagard Liquid" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_it_exits_2_for_a_bad_site_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site.json"
    override = {"product": "privigen", "set": {"max_rate_mg_per_kg_per_min": 9}}
    site.write_text(json.dumps({"schema_version": 1, "source": "x", "overrides": [override]}))
    result = runner.invoke(app, ["products", "--site-file", str(site)])
    assert result.exit_code == 2
    assert "Invalid catalog data" in result.output
    assert "label limit 8" in result.output


def test_it_shows_the_label_ages_with_their_sources() -> None:
    listing = runner.invoke(app, ["products"], env={"COLUMNS": "300"})
    assert listing.exit_code == 0, listing.output
    assert "Label ages" in listing.output and "PI >= 12 y" in listing.output and "PI ?" in listing.output
    shown = runner.invoke(app, ["products", "show", "asceniv"], env={"COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    assert "Label age, PI" in shown.output and "12 years and over" in shown.output
    assert "adults and adolescents 12-17" in shown.output
    data = json.loads(runner.invoke(app, ["products", "show", "octagam-10", "--json"]).output)
    itp = next(row for row in data["label_ages"] if row["indication"] == "itp")
    assert itp["min_age_years"]["value"] == 18 and itp["min_age_years"]["status"] == "label"
