"""Server-made SVG for the day view: the chairs' timeline and each nurse's load. Geometry only here.

Positions come from the chart engine's Ruler (ivig.lib.charts): a fixed width per minute, so a longer day is
a wider chart. The templates draw the shapes with SVG attributes and classes (the CSP forbids style
attributes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from ivig.clinical.scheduling import format_time
from ivig.lib.charts import Ruler
from ivig.scheduling.day import DayState, load_series

LABEL_W = 90  # px for the row labels
PX_PER_MIN = 1.2
ROW_H = 34
AXIS_H = 22
LOAD_H = 60


@dataclass(frozen=True)
class Axis:
    first_min: int
    last_min: int

    def x(self, minute: int) -> float:
        return round(Ruler(self.first_min, LABEL_W, PX_PER_MIN)(minute), 1)

    @property
    def width(self) -> float:
        return self.x(self.last_min) + 10

    def ticks(self, top: float, bottom: float) -> list[dict[str, Any]]:
        first_hour = -(-self.first_min // 60) * 60
        return [
            {"x": self.x(m), "label": format_time(m), "top": top, "bottom": bottom}
            for m in range(first_hour, self.last_min + 1, 60)
        ]


def axis_for(state: DayState) -> Axis:
    ends = [a.end_min for a in state.booked.assignments]
    starts = [a.start_min for a in state.booked.assignments]
    first = min([state.instance.day_start_min, *starts])
    last = max([state.instance.close_min, *ends])
    return Axis(first // 60 * 60, -(-last // 60) * 60)


def timeline(state: DayState) -> dict[str, Any]:
    axis = axis_for(state)
    rows = list(state.chairs.items())
    height = AXIS_H + ROW_H * max(len(rows), 1) + 4
    row_of = {key: i for i, (key, _) in enumerate(rows)}
    blocks = []
    for a in state.booked.assignments:
        appointment = state.appointments[a.id]
        row = row_of.get(a.chair)
        if row is None:
            continue
        x, width = axis.x(a.start_min), round((a.end_min - a.start_min) * PX_PER_MIN, 1)
        patient = appointment.patient
        blocks.append(
            {
                "x": x,
                "y": AXIS_H + row * ROW_H + 3,
                "w": width,
                "h": ROW_H - 6,
                "tx": x + 4,
                "ty": AXIS_H + row * ROW_H + ROW_H / 2 + 4,
                "label": f"{patient.family_name.upper()} {format_time(a.start_min)}" if width > 90 else "",
                "title": f"{patient} {format_time(a.start_min)}-{format_time(a.end_min)} "
                f"({appointment.get_status_display()}, {appointment.nurses_label})",
                "status": appointment.status,
                "url": reverse("scheduling:appointment", args=[appointment.pk]),
            }
        )
    return {
        "width": axis.width,
        "height": height,
        "ticks": axis.ticks(AXIS_H - 4, height),
        "open": {
            "x": axis.x(state.instance.day_start_min),
            "w": axis.x(state.instance.day_end_min) - axis.x(state.instance.day_start_min),
        },
        "rows": [
            {
                "label": chair.name,
                "features": ", ".join(chair.features),
                "y": AXIS_H + i * ROW_H,
                "ty": AXIS_H + i * ROW_H + ROW_H / 2 + 4,
            }
            for i, (_, chair) in enumerate(rows)
        ],
        "row_h": ROW_H,
        "blocks": blocks,
    }


def nurse_load(state: DayState) -> dict[str, Any]:
    axis = Axis(state.instance.day_start_min, state.instance.close_min)
    charts = []
    for i, data in enumerate(load_series(state).values()):
        shift, counts = data["shift"], data["counts"]
        top = AXIS_H + i * (LOAD_H + 10)
        scale = (LOAD_H - 8) / max(shift.max_watching, max(counts, default=0), 1)

        load_ruler = Ruler(0, top + LOAD_H, -scale)  # counts upwards from the chart's bottom edge

        def y(value: int, ruler: Ruler = load_ruler) -> float:
            return round(ruler(value), 1)

        points = [f"{axis.x(axis.first_min)},{y(0)}"]
        previous = 0
        for offset, count in enumerate(counts):
            if count != previous:
                minute = axis.first_min + offset
                points += [f"{axis.x(minute)},{y(previous)}", f"{axis.x(minute)},{y(count)}"]
                previous = count
        points.append(f"{axis.x(axis.last_min)},{y(previous)}")
        busiest = max(counts, default=0)
        charts.append(
            {
                "name": shift.nurse.display_name,
                "shift": f"{shift.start:%H:%M}-{shift.end:%H:%M}",
                "top": top,
                "bottom": top + LOAD_H,
                "ty": top + 14,
                "points": " ".join(points),
                "limit_y": y(shift.max_watching),
                "max_watching": shift.max_watching,
                "busiest": busiest,
                "over": busiest > shift.max_watching,
                "setups": _runs(axis, data["setups"]),
            }
        )
    height = AXIS_H + len(charts) * (LOAD_H + 10) + 4
    return {"width": axis.width, "height": height, "ticks": axis.ticks(AXIS_H - 4, height), "charts": charts}


def _runs(axis: Axis, flags: list[int]) -> list[dict[str, float]]:
    """Merge consecutive busy minutes into one rectangle each."""
    runs, start = [], None
    for offset, busy in enumerate([*flags, 0]):
        if busy and start is None:
            start = offset
        elif not busy and start is not None:
            first = axis.first_min + start
            runs.append({"x": axis.x(first), "w": round((offset - start) * PX_PER_MIN, 1)})
            start = None
    return runs
