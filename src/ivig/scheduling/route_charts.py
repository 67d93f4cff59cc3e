"""Server-made SVG sketch of one nurse's route: her base, the homes in order, straight lines between them.

A sketch, not a map: positions are the places' coordinates on an equirectangular projection (longitude
scaled by the cosine of the mean latitude), fitted into a fixed box. Roads are not drawn; the list beside it
carries the times. Geometry only here; the template draws it with classes (the CSP forbids style attributes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ivig.lib.charts import Scale, path_d

WIDTH, HEIGHT, MARGIN = 320, 240, 24


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    label: str  # "B" for the base, else the stop's number
    title: str


def route_sketch(places: list[Place]) -> dict[str, Any]:
    """The sketch of a route that starts and ends at `places[0]` (the base) and visits the rest in order."""
    if not places:
        return {"width": WIDTH, "height": HEIGHT, "points": [], "path": ""}
    mean_lat = math.radians(sum(p.lat for p in places) / len(places))
    xs = [p.lon * math.cos(mean_lat) for p in places]
    ys = [p.lat for p in places]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)  # one scale on both axes keeps the shape
    x_mid, y_mid = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    inner = min(WIDTH, HEIGHT) - 2 * MARGIN
    x_scale = Scale(x_mid - span / 2, x_mid + span / 2, WIDTH / 2 - inner / 2, WIDTH / 2 + inner / 2)
    y_scale = Scale(y_mid - span / 2, y_mid + span / 2, HEIGHT / 2 + inner / 2, HEIGHT / 2 - inner / 2)
    points = [
        {
            "x": round(x_scale(x), 1),
            "y": round(y_scale(y), 1),
            "ty": round(y_scale(y) + 4, 1),
            "bx": round(x_scale(x) - 9, 1),  # the base's square, 18 px a side
            "by": round(y_scale(y) - 9, 1),
            "label": place.label,
            "title": place.title,
            "base": i == 0,
        }
        for i, (place, x, y) in enumerate(zip(places, xs, ys, strict=True))
    ]
    coords = [(x_scale(x), y_scale(y)) for x, y in zip(xs, ys, strict=True)]
    loop = [*coords, coords[0]]
    return {"width": WIDTH, "height": HEIGHT, "points": points, "path": path_d(loop)}
