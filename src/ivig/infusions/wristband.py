"""Read a patient's wristband barcode as a keyboard-wedge scanner types it. Pure Python on top of biip.

Wristbands carry the MRN (docs/reference/identification.md s16): as plain text in a Code 128 or DataMatrix, or
as a GS1
string with AI (8018), the Global Service Relation Number of a recipient of services. A site that uses
(8018) stores the GSRN it prints as the patient's MRN, so the value is compared with the MRN as it is; the
GS1 group separator (or the site's replacement for it, IVIG_GS1_SEPARATOR_REPLACEMENT) ends the field when
other AIs follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from biip import ParseConfig, ParseError
from biip.gs1_messages import GS1Message

from ivig.inventory.gs1 import GROUP_SEPARATOR, check_separator_replacement
from ivig.lib.refusals import ActionRefused

GSRN_RECIPIENT_AI = "8018"
# AIM symbology identifiers a scanner may put in front: Code 128 (]C0), GS1-128 (]C1), DataMatrix (]d1),
# GS1 DataMatrix (]d2), QR (]Q1), GS1 QR (]Q3).
_GS1_PREFIXES = ("]C1", "]d2", "]Q3")
_PLAIN_PREFIXES = ("]C0", "]d1", "]Q1")


class WristbandError(ActionRefused, ValueError):
    """The scan is not a wristband this site can read; the message says what to do."""


@dataclass(frozen=True, slots=True)
class WristbandScan:
    mrn: str
    symbology: str  # "plain" or "gs1-8018"


def read_wristband(text: str, *, separator_replacement: str = "") -> WristbandScan:
    """The MRN a wristband barcode carries; raise WristbandError when none can be read."""
    check_separator_replacement(separator_replacement)
    cleaned = text.strip()
    if not cleaned:
        raise WristbandError("The scan is empty: scan the barcode on the patient's wristband.")
    gs1 = cleaned.startswith(_GS1_PREFIXES) or cleaned.startswith(f"({GSRN_RECIPIENT_AI})")
    for prefix in _GS1_PREFIXES + _PLAIN_PREFIXES:
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    separators = (GROUP_SEPARATOR, separator_replacement) if separator_replacement else (GROUP_SEPARATOR,)
    if not gs1 and cleaned.startswith(GSRN_RECIPIENT_AI) and cleaned[4:22].isdigit() and len(cleaned) >= 22:
        gs1 = len(cleaned) == 22 or cleaned[22] in separators
    if gs1:
        return WristbandScan(mrn=_gsrn(cleaned, separators), symbology="gs1-8018")
    if any(ch in cleaned for ch in separators):
        raise WristbandError(
            "This is not a wristband barcode: it holds GS1 fields but no (8018) patient number."
        )
    mrn = cleaned.upper()
    if not mrn.replace("-", "").isalnum():
        raise WristbandError(
            "This is not a wristband barcode (a medical record number has only letters, digits and hyphens): "
            "scan the wristband, not a vial or a form."
        )
    return WristbandScan(mrn=mrn, symbology="plain")


def _gsrn(text: str, separators: tuple[str, ...]) -> str:
    config = ParseConfig(separator_chars=separators)
    try:
        message = (
            GS1Message.parse_hri(text, config=config)
            if text.startswith("(")
            else GS1Message.parse(text, config=config)
        )
    except ParseError as error:
        raise WristbandError(f"The wristband's GS1 barcode cannot be read: {error}") from None
    element = message.element_strings.get(ai=GSRN_RECIPIENT_AI)
    if element is None:
        raise WristbandError(
            "This GS1 barcode has no (8018) patient number: it is not a wristband (a vial's barcode?)."
        )
    return element.value
