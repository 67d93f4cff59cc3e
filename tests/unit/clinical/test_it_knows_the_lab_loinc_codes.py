"""Lab kinds and LOINC codes: each exported code reads back as its kind; an import's UCUM units convert."""

from __future__ import annotations

import pytest

from ivig.clinical.labs import EGFR_LOINCS, LAB_UNITS, LOINC_KINDS, LabKind, to_stored_unit


def test_it_reads_every_exported_code_back_as_its_kind():
    for kind, units in LAB_UNITS.items():
        if units.loinc:
            assert LOINC_KINDS[units.loinc] is kind
    assert LAB_UNITS[LabKind.EGFR].loinc is None  # one code per formula, and the formula is not recorded
    assert all(LOINC_KINDS[code] is LabKind.EGFR for code in EGFR_LOINCS)
    assert LOINC_KINDS["2160-0"] is LabKind.CREATININE  # creatinine by mass (mg/dL)


@pytest.mark.parametrize(
    ("kind", "ucum", "value", "stored"),
    [
        (LabKind.PLATELETS, "10*9/L", 45, 45),
        (LabKind.PLATELETS, "10*3/uL", 45, 45),
        (LabKind.EGFR, "mL/min/{1.73_m2}", 95, 95),
        (LabKind.IGG, "mg/dL", 690, 6.9),
    ],
)
def test_it_converts_ucum_units_from_an_ehr(kind, ucum, value, stored):
    assert to_stored_unit(kind, value, ucum) == pytest.approx(stored)
