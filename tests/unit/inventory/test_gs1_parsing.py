"""Vial barcodes: raw element strings, keyboard-wedge replacements and the printed (AI) form."""

from __future__ import annotations

from datetime import date

import pytest

from ivig.inventory.gs1 import GS1Error, VialLabel, parse_vial_label

GTIN = "00860001234565"  # check digit 5 is correct
GS = "\x1d"


def test_it_reads_gtin_expiry_lot_and_serial_from_a_raw_scan():
    label = parse_vial_label(f"01{GTIN}17261231" + f"10LOT-42A{GS}21SN0001")

    assert label == VialLabel(
        gtin=GTIN, expiry_date=date(2026, 12, 31), lot_number="LOT-42A", serial="SN0001"
    )


def test_it_reads_the_printed_human_readable_form():
    label = parse_vial_label(f"(01){GTIN}(17)270630(10)B7 71(21)X9")

    assert label == VialLabel(gtin=GTIN, expiry_date=date(2027, 6, 30), lot_number="B771", serial="X9")


def test_it_accepts_the_configured_group_separator_replacement():
    label = parse_vial_label(f"01{GTIN}10LOT7|17261231", separator_replacement="|")

    assert label.lot_number == "LOT7"
    assert label.expiry_date == date(2026, 12, 31)
    assert label.serial is None


def test_it_ignores_a_replacement_character_that_is_not_configured():
    # "|" cannot be part of a lot number, so without the replacement the rest is not an element string.
    with pytest.raises(GS1Error, match="not a GS1 vial barcode"):
        parse_vial_label(f"01{GTIN}10LOT7|17261231")


def test_it_refuses_a_replacement_that_can_appear_in_a_lot_number():
    with pytest.raises(ValueError, match="character set 82"):
        parse_vial_label(f"01{GTIN}17261231", separator_replacement="-")


def test_it_strips_a_datamatrix_symbology_identifier():
    assert parse_vial_label(f"]d201{GTIN}17261231" + "10A1").lot_number == "A1"


def test_it_reads_day_zero_as_the_last_day_of_the_month():
    assert parse_vial_label(f"01{GTIN}17270200" + "10A1").expiry_date == date(2027, 2, 28)


def test_it_reports_a_wrong_gtin_check_digit():
    with pytest.raises(GS1Error, match=r"GTIN \(01\) is not valid.*check digit"):
        parse_vial_label("0100860001234562" + "17261231" + "10A1")


def test_it_reports_a_wrong_check_digit_in_the_printed_form_too():
    with pytest.raises(GS1Error, match="check digit"):
        parse_vial_label("(01)00860001234562(17)261231(10)A1")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("hello", "not a GS1 vial barcode"),
        (f"01{GTIN}17261399" + "10A1", "not a GS1 vial barcode"),
        (f"01{GTIN}10A1", r"no \(17\) expiry"),
        ("17261231" + "10A1", r"no \(01\) GTIN"),
        (f"01{GTIN}17261231", r"no \(10\) lot"),
        ("(01)", "not a GS1 vial barcode"),
        (f"(01){GTIN}(17)261231(10)A1(23)9", "not a GS1 vial barcode"),
        (f"(01){GTIN}(17)261231(10)A1(10)B2", r"gives \(10\) twice"),
    ],
)
def test_it_explains_bad_input(text, message):
    with pytest.raises(GS1Error, match=message):
        parse_vial_label(text)
