"""Vial barcodes as GS1 Digital Link URIs: read as element strings are, with the same checks."""

from __future__ import annotations

from datetime import date

import pytest

from ivig.inventory.gs1 import GS1Error, VialLabel, parse_vial_label

GTIN = "09506000134352"  # GS1's example GTIN; check digit 2 is correct


@pytest.mark.parametrize(
    ("uri", "label"),
    [
        (
            f"https://id.gs1.org/01/{GTIN}/10/ABC?17=271231",
            VialLabel(gtin=GTIN, expiry_date=date(2027, 12, 31), lot_number="ABC"),
        ),
        (
            f"https://id.gs1.org/01/{GTIN}/10/ABC/21/SN-0001?17=271231",
            VialLabel(gtin=GTIN, expiry_date=date(2027, 12, 31), lot_number="ABC", serial="SN-0001"),
        ),
        (  # only the GTIN in the path, the rest in the query
            f"https://id.gs1.org/01/{GTIN}?10=ABC&17=271231&21=S9",
            VialLabel(gtin=GTIN, expiry_date=date(2027, 12, 31), lot_number="ABC", serial="S9"),
        ),
        (  # a manufacturer's own domain, a path prefix, an upper-case scheme and host, other parameters
            f"HTTPS://QR.EXAMPLE.COM/vial/01/{GTIN}/10/ABC?linkType=all&17=271231",
            VialLabel(gtin=GTIN, expiry_date=date(2027, 12, 31), lot_number="ABC"),
        ),
        (  # a "/" in a lot number is percent-encoded
            f"https://example.com/01/{GTIN}/10/AB%2F12?17=271231",
            VialLabel(gtin=GTIN, expiry_date=date(2027, 12, 31), lot_number="AB/12"),
        ),
        (  # a GTIN-13 in the path is the GTIN-14 with a leading zero
            "https://id.gs1.org/01/9506000134352/10/ABC?17=271231",
            VialLabel(gtin=GTIN, expiry_date=date(2027, 12, 31), lot_number="ABC"),
        ),
        (  # day 00 is the month's last day, as on an element string
            f"https://id.gs1.org/01/{GTIN}/10/ABC?17=270200",
            VialLabel(gtin=GTIN, expiry_date=date(2027, 2, 28), lot_number="ABC"),
        ),
        (  # an expired label is read; receipt and the bedside refuse it, as for element strings
            f"https://id.gs1.org/01/{GTIN}/10/OLD?17=200101",
            VialLabel(gtin=GTIN, expiry_date=date(2020, 1, 1), lot_number="OLD"),
        ),
    ],
)
def test_it_reads_a_digital_link(uri, label):
    assert parse_vial_label(uri) == label


def test_it_reads_a_link_as_a_keyboard_wedge_types_it():
    uri = f"https://id.gs1.org/01/{GTIN}/10/ABC?17=271231"

    assert parse_vial_label(f"  ]Q1{uri}\r\n").lot_number == "ABC"
    assert parse_vial_label(f"{uri}\n", separator_replacement="|").lot_number == "ABC"


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        # the same messages as element strings give
        ("https://id.gs1.org/01/09506000134353/10/ABC?17=271231", r"GTIN \(01\) is not valid.*check digit"),
        (f"https://id.gs1.org/01/{GTIN}?17=271231", r"no \(10\) lot number"),
        (f"https://id.gs1.org/01/{GTIN}/10/ABC", r"no \(17\) expiry date"),
        (f"https://id.gs1.org/01/{GTIN}", r"no \(17\) expiry date"),
        ("https://id.gs1.org/414/9506000134352", r"no \(01\) GTIN"),
        # what only a link can get wrong
        (f"https://id.gs1.org/01/{GTIN}/10/ABC?17=271399", "not a GS1 Digital Link for a vial"),
        (f"https://id.gs1.org/01/{GTIN}/10/ABC?17=2712311", "not a GS1 Digital Link for a vial"),
        (f"https://id.gs1.org/01/{GTIN}/10/ABCDEFGHIJKLMNOPQRSTU?17=271231", "not a GS1 Digital Link"),
        (f"https://id.gs1.org/01/{GTIN}/10/AB%1D21X?17=271231", "not a GS1 Digital Link for a vial"),
        (f"https://id.gs1.org/01/{GTIN}/10?17=271231", "not a GS1 Digital Link for a vial"),
        (f"https://id.gs1.org/gtin/{GTIN}/lot/ABC?exp=271231", "not a GS1 Digital Link for a vial"),
        ("http://evil.example/?x", "not a GS1 Digital Link for a vial"),
        ("ftp://id.gs1.org/01/09506000134352/10/ABC?17=271231", "not a GS1 Digital Link for a vial"),
        ("https://[bad/01/09506000134352", "not a GS1 Digital Link for a vial"),
        (f"https://id.gs1.org/01/{GTIN}/10/AB C?17=271231", "space or control character"),
        (f"https://id.gs1.org/01/{GTIN}/10/AB\nC?17=271231", "space or control character"),
        (f"https://id.gs1.org/01/{GTIN}/10/ABC?17=201231&17=271231", r"gives \(17\) twice"),
        (f"https://id.gs1.org/01/{GTIN}/10/ABC?10=XYZ&17=271231", r"gives \(10\) twice"),
    ],
)
def test_it_refuses_a_link_that_is_not_a_vials(uri, message):
    with pytest.raises(GS1Error, match=message):
        parse_vial_label(uri)
