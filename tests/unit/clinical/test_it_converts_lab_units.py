"""Lab values are stored in one unit per kind; other units convert only where the conversion is exact."""

from __future__ import annotations

import pytest

from ivig.clinical.labs import IGG_LOINC, LAB_UNITS, LabKind, lab_kind, to_stored_unit
from ivig.clinical.units import UnitError


def test_it_stores_igg_in_g_per_l_from_mg_per_dl() -> None:
    assert to_stored_unit(LabKind.IGG, 690, "mg/dL") == pytest.approx(6.9)
    assert to_stored_unit(LabKind.IGG, 6.9, "g/L") == 6.9
    assert to_stored_unit(LabKind.IGG, 6.9, "") == 6.9
    assert LAB_UNITS[LabKind.IGG].loinc == IGG_LOINC == "2465-3"


def test_it_converts_creatinine_and_haemoglobin() -> None:
    assert to_stored_unit(LabKind.CREATININE, 1.0, "mg/dL") == pytest.approx(88.4, abs=0.05)
    assert to_stored_unit(LabKind.CREATININE, 80, "µmol/L") == 80
    assert to_stored_unit(LabKind.HAEMOGLOBIN, 12.5, "g/dL") == pytest.approx(125)


def test_it_reads_platelets_per_microlitre_as_the_same_number() -> None:
    assert to_stored_unit(LabKind.PLATELETS, 45, "10^3/uL") == 45
    assert to_stored_unit(LabKind.PLATELETS, 45, "x10^9/L") == 45


@pytest.mark.parametrize(
    ("kind", "unit"), [(LabKind.IGG, "mg/L"), (LabKind.EGFR, "mL/s"), (LabKind.IGG, "%")]
)
def test_it_refuses_units_it_cannot_convert(kind: LabKind, unit: str) -> None:
    with pytest.raises(UnitError, match="is not one for"):
        to_stored_unit(kind, 1.0, unit)


def test_it_reads_kind_names() -> None:
    assert lab_kind("IgG") is LabKind.IGG
    assert lab_kind(" Hb ") is LabKind.HAEMOGLOBIN
    with pytest.raises(UnitError, match="unknown lab kind"):
        lab_kind("ferritin")
