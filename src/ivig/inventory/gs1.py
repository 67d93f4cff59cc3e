"""Read the GS1 DataMatrix on an immunoglobulin vial: GTIN (01), expiry (17), lot (10) and serial (21).

Pure Python on top of biip, no Django. Accepts the raw element string a scanner sends (with the ASCII 29
group separator, or a configured replacement for keyboard-wedge scanners that cannot type it) and the
human-readable form printed under the barcode, "(01)...(17)...(10)...".
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date

from biip import ParseConfig, ParseError
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message

GROUP_SEPARATOR = "\x1d"

# GS1 "character set 82": what a lot number or serial may contain. A separator replacement from this set
# could also be part of a lot number, so the scan would be ambiguous.
_GS1_CHARACTER_SET_82 = frozenset(string.ascii_letters + string.digits + "!\"%&'()*+,-./:;<=>?_")


class GS1Error(ValueError):
    """The text is not a usable vial barcode; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class VialLabel:
    gtin: str  # 14 digits, check digit verified
    expiry_date: date  # a day of 00 on the label means the month's last day
    lot_number: str
    serial: str | None = None


def parse_vial_label(text: str, *, separator_replacement: str = "") -> VialLabel:
    """Parse a scanned or typed GS1 element string into the vial's GTIN, expiry, lot and serial."""
    check_separator_replacement(separator_replacement)
    cleaned = _strip_symbology_identifier(text.strip())
    if not cleaned:
        raise GS1Error("The scan is empty: scan the DataMatrix on the vial or type its text.")
    separators = (GROUP_SEPARATOR, separator_replacement) if separator_replacement else (GROUP_SEPARATOR,)
    config = ParseConfig(separator_chars=separators)
    try:
        if cleaned.startswith("("):
            message = GS1Message.parse_hri(cleaned, config=config)
        else:
            message = GS1Message.parse(cleaned, config=config)
    except ParseError as error:
        raise GS1Error(f"This is not a GS1 vial barcode: {error}") from None
    elements = message.element_strings
    gtin_element = _required(elements.get(ai="01"), "(01) GTIN")
    # biip reports a wrong GTIN check digit on the element, not as a parse failure of the message.
    if gtin_element.gtin_error or gtin_element.gtin is None:
        raise GS1Error(f"The GTIN (01) is not valid: {gtin_element.gtin_error or 'unreadable'}.")
    expiry = _required(elements.get(ai="17"), "(17) expiry date")
    if expiry.date is None:
        raise GS1Error(f"The expiry date (17) {expiry.value!r} is not a date (YYMMDD).")
    lot = _required(elements.get(ai="10"), "(10) lot number")
    serial = elements.get(ai="21")
    return VialLabel(
        gtin=gtin_element.gtin.as_gtin_14(),
        expiry_date=expiry.date,
        lot_number=lot.value,
        serial=serial.value if serial is not None else None,
    )


def check_separator_replacement(replacement: str) -> None:
    """Raise ValueError unless the replacement is empty or one character no lot number can contain."""
    if replacement and (len(replacement) != 1 or replacement in _GS1_CHARACTER_SET_82):
        raise ValueError(
            f"the group separator replacement must be one character outside GS1 character set 82, "
            f"not {replacement!r}"
        )


def _required(element: GS1ElementString | None, name: str) -> GS1ElementString:
    if element is None:
        raise GS1Error(
            f"The barcode has no {name}: scan the vial's DataMatrix, not the carton's other codes."
        )
    return element


def _strip_symbology_identifier(text: str) -> str:
    # Scanners set up to send the AIM symbology identifier prefix "]d2" (DataMatrix) or "]C1" (GS1-128).
    return text[3:] if text.startswith("]") and len(text) >= 3 else text
