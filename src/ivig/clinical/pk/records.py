"""Read a dose history and IgG levels from CSV, with an error for each bad row.

Format (header row required, columns in any order, blank lines skipped):

    event,datetime,amount,unit,route,duration_h,product
    dose,2025-01-06T09:00,28,g,iv,3,
    dose,2025-01-13 10:00,10,g,sc,,hizentra
    level,2025-02-03T08:30,7.9,g/L,,,
    level,2025-03-03,790,mg/dL,,,

- event: `dose` or `level`; datetime: ISO 8601 date, or date and time (T or a space between).
- dose: amount in grams (unit `g` or empty); route `iv` or `sc`; duration_h required above 0 for IV;
  product (slug) needed for an SC dose unless the site sets a bioavailability.
- level: amount in g/L or mg/dL (1 g/L = 100 mg/dL), unit required.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import datetime

from ivig.clinical.catalog.model import Route
from ivig.clinical.pk.doses import Dose, PkInputError
from ivig.clinical.pk.fit import Level
from ivig.clinical.units import UnitError, igg_g_per_l

REQUIRED_COLUMNS = ("event", "datetime", "amount")
OPTIONAL_COLUMNS = ("unit", "route", "duration_h", "product")
# Beyond these a value is a typo, not a patient: the largest labelled course is 2 g/kg (s5).
MAX_DOSE_G = 400.0
MAX_LEVEL_G_PER_L = 100.0


class PkCsvError(ValueError):
    """Rows that cannot be read; `errors` holds one message per problem, with its line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class PkRecords:
    doses: tuple[Dose, ...]
    levels: tuple[Level, ...]


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PkInputError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise PkInputError(f"{what} {text!r} is not a number")
    return value


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise PkInputError(f"cannot read datetime {text!r}: use 2025-01-06 or 2025-01-06T09:00") from None
    if moment.tzinfo is not None:
        raise PkInputError(f"datetime {text!r}: leave out the time zone (local time)")
    return moment


def _dose(row: dict[str, str], at: datetime) -> Dose:
    unit = row.get("unit", "").strip().lower()
    if unit not in ("", "g"):
        raise PkInputError(f"dose unit {unit!r}: doses are in g")
    dose_g = _number(row["amount"], "dose")
    if not 0 < dose_g <= MAX_DOSE_G:
        raise PkInputError(f"dose {dose_g:g} g: must be above 0 and at most {MAX_DOSE_G:g} g")
    route_text = row.get("route", "").strip().lower()
    if route_text not in ("iv", "sc"):
        raise PkInputError(f"route {route_text!r}: use iv or sc")
    route = Route(route_text)
    duration_text = row.get("duration_h", "").strip()
    duration_h = 0.0
    if route is Route.IV:
        if not duration_text:
            raise PkInputError("an IV dose needs duration_h (the real infusion duration, hours)")
        duration_h = _number(duration_text, "duration_h")
        if not 0 < duration_h <= 24:
            raise PkInputError(f"duration_h {duration_h:g}: must be above 0 and at most 24 hours")
    product = row.get("product", "").strip().lower() or None
    return Dose(at, dose_g, route, duration_h, product)


def _level(row: dict[str, str], at: datetime) -> Level:
    unit = row.get("unit", "").strip()
    if not unit:
        raise PkInputError("a level needs its unit: g/L or mg/dL")
    try:
        conc = igg_g_per_l(_number(row["amount"], "level"), unit)
    except UnitError as error:
        raise PkInputError(str(error)) from None
    if not 0 < conc <= MAX_LEVEL_G_PER_L:
        raise PkInputError(f"IgG {conc:g} g/L: must be above 0 and at most {MAX_LEVEL_G_PER_L:g} g/L")
    return Level(at, conc)


def parse_pk_csv(text: str) -> PkRecords:
    """Read doses and levels; raise PkCsvError listing every bad row."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise PkCsvError(
            [f"header: missing column(s) {', '.join(missing)} (need {', '.join(REQUIRED_COLUMNS)})"]
        )
    reader.fieldnames = header
    doses: list[Dose] = []
    levels: list[Level] = []
    errors: list[str] = []
    for row in reader:
        number = reader.line_num
        clean = {key: (value or "").strip() for key, value in row.items() if key is not None}
        try:
            if None in row:
                raise PkInputError("more fields than the header has")
            at = _moment(clean["datetime"])
            event = clean["event"].lower()
            if event == "dose":
                doses.append(_dose(clean, at))
            elif event == "level":
                levels.append(_level(clean, at))
            else:
                raise PkInputError(f"event {clean['event']!r}: use dose or level")
        except PkInputError as error:
            errors.append(f"line {number}: {error}")
    if not errors and not doses:
        errors.append("no dose rows: the fit needs the dose history")
    if not errors and not levels:
        errors.append("no level rows: the fit needs at least one IgG level")
    if errors:
        raise PkCsvError(errors)
    return PkRecords(tuple(doses), tuple(levels))
