"""Every value in the catalog carries its source; unknown values are explicit, never guessed."""

import dataclasses
from collections.abc import Iterator

from ivig.clinical.catalog import NOT_IN_LABEL_DATA, Fact, FactStatus, default_catalog


def _facts(value: object, path: str) -> Iterator[tuple[str, Fact[object]]]:
    if isinstance(value, Fact):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _facts(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _facts(item, f"{path}[{i}]")


def _all_facts() -> list[tuple[str, Fact[object]]]:
    return [item for product in default_catalog().all() for item in _facts(product, product.slug)]


def test_it_gives_every_fact_a_non_empty_source() -> None:
    facts = _all_facts()
    assert len(facts) > 300
    assert [path for path, fact in facts if not fact.source.strip()] == []


def test_it_gives_every_vial_rate_row_and_sc_band_a_source() -> None:
    for product in default_catalog().all():
        assert all(v.source for v in product.vial_sizes), product.slug
        assert all(r.source and r.titration.source for r in product.iv_rates), product.slug
        if product.sc is not None:
            assert all(row.source for row in product.sc.site_limits), product.slug


def test_it_keeps_missing_values_null_and_shows_them_as_not_in_label_data() -> None:
    missing = [(path, fact) for path, fact in _all_facts() if fact.status is FactStatus.MISSING]
    assert missing
    for path, fact in missing:
        assert fact.value is None, path
        assert not fact.known
        assert fact.display("mg/kg/min") == NOT_IN_LABEL_DATA


def test_it_never_leaves_a_known_value_without_status() -> None:
    for path, fact in _all_facts():
        if fact.value is None:
            assert fact.status is FactStatus.MISSING, path
