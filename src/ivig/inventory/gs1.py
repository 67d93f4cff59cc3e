"""Read the GS1 DataMatrix on an immunoglobulin vial: GTIN (01), expiry (17), lot (10) and serial (21).

Pure Python on top of biip, no Django. Accepts the raw element string a scanner sends (with the ASCII 29
group separator, or a configured replacement for keyboard-wedge scanners that cannot type it), the
human-readable form printed under the barcode, "(01)...(17)...(10)...", and the GS1 Digital Link URI that
newer packs carry, "https://id.gs1.org/01/<GTIN>/10/<lot>?17=<YYMMDD>" (on any domain). All three go through
the same checks: GTIN check digit, a real expiry date, a lot number.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlsplit

from biip import ParseConfig, ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings
from biip.gs1_messages import GS1Message

from ivig.lib.refusals import ActionRefused

GROUP_SEPARATOR = "\x1d"

# GS1 "character set 82": what a lot number or serial may contain. A separator replacement from this set
# could also be part of a lot number, so the scan would be ambiguous.
_GS1_CHARACTER_SET_82 = frozenset(string.ascii_letters + string.digits + "!\"%&'()*+,-./:;<=>?_")

# An element string starts with a digit (its AI), so text that starts with a URI scheme is a Digital Link.
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_VIAL_AIS = ("01", "17", "10", "21")


class GS1Error(ActionRefused, ValueError):
    """The text is not a usable vial barcode; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class VialLabel:
    gtin: str  # 14 digits, check digit verified
    expiry_date: date  # a day of 00 on the label means the month's last day
    lot_number: str
    serial: str | None = None


def parse_vial_label(text: str, *, separator_replacement: str = "") -> VialLabel:
    """Parse a scanned or typed GS1 element string or Digital Link into the vial's fields."""
    check_separator_replacement(separator_replacement)
    cleaned = _strip_symbology_identifier(text.strip())
    if not cleaned:
        raise GS1Error("The scan is empty: scan the DataMatrix on the vial or type its text.")
    separators = (GROUP_SEPARATOR, separator_replacement) if separator_replacement else (GROUP_SEPARATOR,)
    config = ParseConfig(separator_chars=separators)
    if _URI_SCHEME.match(cleaned):
        elements = _digital_link_elements(cleaned, config)
    else:
        try:
            if cleaned.startswith("("):
                message = GS1Message.parse_hri(cleaned, config=config)
            else:
                message = GS1Message.parse(cleaned, config=config)
        except ParseError as error:
            raise GS1Error(f"This is not a GS1 vial barcode: {error}") from None
        elements = message.element_strings
    return _vial_label(elements)


def _vial_label(elements: GS1ElementStrings) -> VialLabel:
    """Check the element strings of any of the three forms with the same rules."""
    for ai in _VIAL_AIS:
        # Two different lots (or dates) in one scan: neither can be trusted to be the vial's.
        if len({element.value for element in elements.filter(ai=ai)}) > 1:
            raise GS1Error(f"The barcode gives ({ai}) twice with different values: scan the vial's own code.")
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


def _digital_link_elements(uri: str, config: ParseConfig) -> GS1ElementStrings:
    """Read the element strings of a GS1 Digital Link URI: AIs in the path and in the query."""
    # urlsplit silently drops tabs and line breaks inside a URI; a space is never part of one. Either means
    # the scan was garbled, and dropping it could join two fields into one value.
    if any(char.isspace() or not char.isprintable() for char in uri):
        raise GS1Error("The link has a space or control character in it: scan the vial again.")
    try:
        link = GS1DigitalLinkURI.parse(uri, config=config)
        query = parse_qs(urlsplit(uri).query)
    except (ParseError, ValueError) as error:
        raise GS1Error(f"This is not a GS1 Digital Link for a vial: {error}") from None
    # biip keeps the last of a repeated query parameter; a vial's link never repeats one.
    for ai in _VIAL_AIS:
        if len(query.get(ai, ())) > 1:
            raise GS1Error(f"The link gives ({ai}) twice: scan the vial's own code.")
    return link.element_strings


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
