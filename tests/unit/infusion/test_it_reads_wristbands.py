"""Wristband barcodes as a keyboard-wedge scanner types them: a plain MRN, or GS1 with AI (8018)."""

from __future__ import annotations

import pytest

from ivig.infusions.wristband import WristbandError, read_wristband

GSRN = "123456789012345675"


def test_it_reads_a_plain_mrn_as_code_128_sends_it():
    assert read_wristband(" t000123 ").mrn == "T000123"
    assert read_wristband("]C0T000123").mrn == "T000123"  # AIM symbology identifier stripped


@pytest.mark.parametrize(
    "text",
    [
        f"8018{GSRN}",
        f"]d28018{GSRN}",
        f"(8018){GSRN}",
        f"8018{GSRN}\x1d21ABC",
    ],
)
def test_it_reads_the_gsrn_of_a_recipient_of_services(text):
    scan = read_wristband(text)
    assert scan.mrn == GSRN and scan.symbology == "gs1-8018"


def test_it_reads_a_gsrn_with_the_sites_separator_replacement():
    assert read_wristband(f"]d28018{GSRN}|21ABC", separator_replacement="|").mrn == GSRN


def test_it_refuses_a_vials_gs1_barcode():
    with pytest.raises(WristbandError, match=r"no \(8018\)"):
        read_wristband("]d2010200000000002317270630" + "10G20A")
    with pytest.raises(WristbandError, match="not a wristband"):
        read_wristband("(01)02000000000023(17)270630(10)G20A")


def test_it_refuses_an_empty_scan():
    with pytest.raises(WristbandError, match="empty"):
        read_wristband("   ")
