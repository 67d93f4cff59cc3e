"""The fit's CSV: doses and levels in, mg/dL converted at the edge, every bad row reported with its line."""

from __future__ import annotations

from datetime import datetime

import pytest

from ivig.clinical.catalog.model import Route
from ivig.clinical.pk.records import PkCsvError, parse_pk_csv

GOOD = """event,datetime,amount,unit,route,duration_h,product
dose,2025-01-06T09:00,28,g,iv,3,
dose,2025-01-13 10:00,10,g,sc,,Hizentra

level,2025-02-03,7.9,g/L,,,
level,2025-03-03T08:30,790,mg/dL,,,
"""


def test_it_reads_doses_and_levels() -> None:
    records = parse_pk_csv(GOOD)
    iv, sc = records.doses
    assert (iv.start, iv.dose_g, iv.route, iv.duration_h) == (datetime(2025, 1, 6, 9), 28.0, Route.IV, 3.0)
    assert (sc.route, sc.product, sc.duration_h) == (Route.SC, "hizentra", 0.0)
    assert [lv.conc_g_per_l for lv in records.levels] == [7.9, 7.9]  # 790 mg/dL = 7.9 g/L


def test_it_reports_every_bad_row_with_its_line() -> None:
    bad = """event,datetime,amount,unit,route,duration_h
dose,2025-01-06T09:00,28,g,iv,
dose,yesterday,28,g,iv,3
dose,2025-02-03T09:00,-5,g,iv,3
dose,2025-03-03T09:00,28,g,im,3
level,2025-02-03,7.9,,,
level,2025-02-04,7.9,mmol/L,,
level,2025-02-05,abc,g/L,,
infusion,2025-02-06,1,g,iv,1
"""
    with pytest.raises(PkCsvError) as raised:
        parse_pk_csv(bad)
    errors = raised.value.errors
    assert len(errors) == 8
    assert errors[0].startswith("line 2:") and "duration_h" in errors[0]
    assert "line 3:" in errors[1] and "cannot read datetime" in errors[1]
    assert "must be above 0" in errors[2]
    assert "route 'im'" in errors[3]
    assert "needs its unit" in errors[4]
    assert "unknown IgG unit" in errors[5]
    assert "not a number" in errors[6]
    assert "event 'infusion'" in errors[7]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("when,what\n2025-01-01,1\n", "missing column"),
        ("", "missing column"),
        ("event,datetime,amount,unit\nlevel,2025-01-01,7,g/L\n", "no dose rows"),
        ("event,datetime,amount,unit,route,duration_h\ndose,2025-01-01,7,g,iv,2\n", "no level rows"),
        ("event,datetime,amount,unit\nlevel,2025-01-01,7,g/L,extra\n", "more fields"),
        ("event,datetime,amount,unit\nlevel,2025-01-01T08:00+02:00,7,g/L\n", "time zone"),
    ],
)
def test_it_rejects_unusable_files(text: str, message: str) -> None:
    with pytest.raises(PkCsvError, match=message):
        parse_pk_csv(text)
