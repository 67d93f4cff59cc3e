"""The one SVG chart engine: scales, paths, the <svg> document, and two charts built on them.

TimeChart (lines, bands, points, reference lines and event marks over dates) and BarChart (columns per
category) are whole charts; pages with a chart of their own shape (the infusion record's pump rates, the
schedule's day) build it in their app from the same parts: Scale or Ruler, path_d and svg_document.

No script and no style attribute: every element carries a class styled in app.css or presentation
attributes (strict CSP). Each chart has a <title> and <desc> for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 14, 44
EVENT_LANE = 12  # height of the strip of event marks above the x axis

Moment = date | datetime


@dataclass(frozen=True)
class Scale:
    """Map values from `lo`..`hi` onto pixels `start`..`end` (end < start on a y axis: it grows upwards)."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)


@dataclass(frozen=True)
class Ruler:
    """Map values onto pixels at a fixed `per_unit` from `lo` at `start`: a chart that grows with its data."""

    lo: float
    start: float
    per_unit: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.lo) * self.per_unit


def path_d(points: Iterable[tuple[float, float]]) -> str:
    """An SVG path's `d`: move to the first (x, y) in pixels, a line to each next one."""
    return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))


def svg_document(
    body: str,
    *,
    title: str,
    description: str,
    chart_id: str,
    css: str = "chart",
    size: tuple[int, int] = (WIDTH, HEIGHT),
    with_id: bool = True,
) -> SafeString:
    """The <svg> around `body` (already escaped), labelled by its <title> and <desc>.

    `chart_id` names the title and description and must be unique on the page; `with_id` also puts it on
    the <svg> element itself.
    """
    ident = escape(chart_id)
    element_id = f' id="{ident}"' if with_id else ""
    return mark_safe(  # noqa: S308  (the body is built with format_html, every other value escaped here)
        f'<svg class="{escape(css)}"{element_id} viewBox="0 0 {size[0]} {size[1]}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>{body}</svg>'
    )


def _frame() -> str:
    """The plot area's outline."""
    return format_html(
        '<rect class="chart-frame" x="{}" y="{}" width="{}" height="{}"/>',
        LEFT,
        TOP,
        WIDTH - LEFT - RIGHT,
        HEIGHT - TOP - BOTTOM,
    )


def _y_grid_line(y: float, label: str) -> str:
    """A horizontal grid line across the plot at pixel `y` with its tick label on the left."""
    return format_html(
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
        LEFT,
        WIDTH - RIGHT,
        _n(y),
        _n(y),
        LEFT - 6,
        _n(y + 4),
        label,
    )


def day_number(moment: Moment) -> float:
    """Return days since 0001-01-01 as a float (a datetime keeps its time of day)."""
    if isinstance(moment, datetime):
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        return float(moment.toordinal()) + seconds / 86_400
    return float(moment.toordinal())


def _n(value: float) -> str:
    """A coordinate with one decimal (format_html turns its arguments into text)."""
    return f"{value:.1f}"


def nice_step(span: float, target_ticks: int = 5) -> float:
    """Return a 1, 2 or 5 x 10^n step giving about `target_ticks` ticks over `span`."""
    raw = max(span, 1e-9) / target_ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def _y_axis_label(label: str) -> str:
    """The y axis's title, turned to read upwards beside the axis."""
    middle = (HEIGHT - BOTTOM + TOP) // 2
    return format_html(
        '<text class="chart-axis-label" x="{}" y="{}" transform="rotate(-90 {} {})" '
        'text-anchor="middle">{}</text>',
        14,
        middle,
        14,
        middle,
        label,
    )


@dataclass
class TimeChart:
    start: Moment
    end: Moment
    y_max: float
    y_label: str
    y_min: float = 0.0
    parts: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._x0, self._x1 = day_number(self.start), day_number(self.end)
        if self._x1 <= self._x0:
            self._x1 = self._x0 + 1
        step = nice_step(self.y_max - self.y_min)
        self.y_max = math.ceil(self.y_max / step) * step if self.y_max > self.y_min else self.y_min + step
        self._y_step = step
        self._x_scale = Scale(self._x0, self._x1, LEFT, WIDTH - RIGHT)
        self._y_scale = Scale(self.y_min, self.y_max, HEIGHT - BOTTOM, TOP)

    def x(self, moment: Moment | float) -> float:
        value = moment if isinstance(moment, float) else day_number(moment)
        return self._x_scale(value)

    def y(self, value: float) -> float:
        clamped = min(max(value, self.y_min), self.y_max)
        return self._y_scale(clamped)

    def _path(self, xs: Sequence[float], ys: Sequence[float]) -> str:
        return path_d((self.x(x), self.y(y)) for x, y in zip(xs, ys, strict=True))

    def line(self, xs: Sequence[float], ys: Sequence[float], css: str) -> None:
        """A polyline through (day number, value) points."""
        if xs:
            self.parts.append(format_html('<path class="{}" d="{}"/>', css, self._path(xs, ys)))

    def band(self, xs: Sequence[float], lower: Sequence[float], upper: Sequence[float], css: str) -> None:
        if not xs:
            return
        top = self._path(xs, upper)
        bottom = " ".join(
            f"L{self.x(x):.1f},{self.y(y):.1f}" for x, y in zip(reversed(xs), reversed(lower), strict=True)
        )
        self.parts.append(format_html('<path class="{}" d="{} {} Z"/>', css, top, bottom))

    def points(self, items: Iterable[tuple[Moment, float, str, str]]) -> None:
        """Circles at (moment, value), each with its css class and a hover title."""
        for moment, value, css, title in items:
            self.parts.append(
                format_html(
                    '<circle class="{}" cx="{}" cy="{}" r="4.5"><title>{}</title></circle>',
                    css,
                    _n(self.x(moment)),
                    _n(self.y(value)),
                    title,
                )
            )

    def hline(self, value: float, label: str, css: str) -> None:
        if not self.y_min <= value <= self.y_max:
            return
        y = self.y(value)
        self.parts.append(
            format_html(
                '<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-ref-label" x="{}" y="{}" text-anchor="end">{}</text>',
                css,
                LEFT,
                WIDTH - RIGHT,
                _n(y),
                _n(y),
                WIDTH - RIGHT - 2,
                _n(y - 4),
                label,
            )
        )

    def event(self, moment: Moment, title: str, css: str = "chart-event") -> None:
        """A mark in the strip above the x axis (a dose, a bleed)."""
        x = self.x(moment)
        base = HEIGHT - BOTTOM
        self.events.append(
            format_html(
                '<path class="{}" d="M{},{} l-4,-{} h8 Z"><title>{}</title></path>',
                css,
                _n(x),
                base,
                EVENT_LANE,
                title,
            )
        )

    def _axes(self) -> list[str]:
        out: list[str] = []
        value = self.y_min
        while value <= self.y_max + 1e-9:
            out.append(_y_grid_line(self.y(value), f"{value:g}"))
            value += self._y_step
        for tick in _month_ticks(self._x0, self._x1):
            x = self.x(float(tick.toordinal()))
            out.append(
                format_html(
                    '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                    '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _n(x),
                    _n(x),
                    TOP,
                    HEIGHT - BOTTOM,
                    _n(x),
                    HEIGHT - BOTTOM + 16,
                    tick.strftime("%b %Y")
                    if tick.month == 1 or tick == _first_tick(self._x0)
                    else tick.strftime("%b"),
                )
            )
        out.append(_y_axis_label(self.y_label))
        return out

    def render(self, title: str, description: str, chart_id: str) -> SafeString:
        """Return the SVG; `chart_id` must be unique on the page (it names the title and description)."""
        body = "".join([_frame(), *self._axes(), *self.parts, *self.events])
        return svg_document(body, title=title, description=description, chart_id=chart_id)


def _first_tick(x0: float) -> date:
    day = date.fromordinal(math.ceil(x0))
    return day if day.day == 1 else date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _month_ticks(x0: float, x1: float) -> list[date]:
    """First days of months within the range, thinned to at most 12 labels."""
    ticks: list[date] = []
    tick = _first_tick(x0)
    while tick.toordinal() <= x1:
        ticks.append(tick)
        tick = date(tick.year + (tick.month == 12), tick.month % 12 + 1, 1)
    every = max(1, math.ceil(len(ticks) / 12))
    return ticks[::every]


BAR_LABEL_CHARS = 14  # longer category names are cut on the axis (the full name is in the bar's title)
BAR_MAX_LABELS = 14  # more categories than this: every n-th label only
BAR_CHAR_PX = 6.5  # about how wide one character of an 11 px tick label is


@dataclass(frozen=True)
class BarSeries:
    name: str
    css: str  # a class styled in app.css, e.g. "chart-bar s1"
    values: Sequence[float]


@dataclass
class BarChart:
    """Columns per category: stacked series (parts of a whole) or side by side; negative values go below 0."""

    labels: Sequence[str]
    series: Sequence[BarSeries]
    y_label: str
    stacked: bool = False
    unit: str = ""

    def _range(self) -> tuple[float, float]:
        if self.stacked:
            tops = [sum(max(s.values[i], 0) for s in self.series) for i in range(len(self.labels))]
            bottoms = [sum(min(s.values[i], 0) for s in self.series) for i in range(len(self.labels))]
        else:
            tops = [max(s.values[i], 0) for s in self.series for i in range(len(self.labels))]
            bottoms = [min(s.values[i], 0) for s in self.series for i in range(len(self.labels))]
        high, low = max(tops, default=0.0), min(bottoms, default=0.0)
        step = self._step(high - low)
        top = math.ceil(high / step) * step if high > 0 else (0.0 if low < 0 else step)
        bottom = math.floor(low / step) * step if low < 0 else 0.0
        return bottom, max(top, bottom + step)

    def _step(self, span: float) -> float:
        """The tick step: whole numbers when every value is one (counts of patients, infusions)."""
        step = nice_step(max(span, 1e-9))
        whole = all(float(value).is_integer() for series in self.series for value in series.values)
        return max(step, 1.0) if whole else step

    def render(self, title: str, description: str, chart_id: str) -> SafeString:
        for series in self.series:
            if len(series.values) != len(self.labels):
                raise ValueError(
                    f"series {series.name!r} has {len(series.values)} values, not {len(self.labels)}"
                )
        y_min, y_max = self._range()
        y = Scale(y_min, y_max, HEIGHT - BOTTOM, TOP)

        parts: list[str] = []
        step = self._step(y_max - y_min)
        tick = y_min
        while tick <= y_max + 1e-9:
            parts.append(_y_grid_line(y(tick), f"{round(tick, 6):g}"))
            tick += step
        count = max(len(self.labels), 1)
        slot = (WIDTH - LEFT - RIGHT) / count
        every = max(1, math.ceil(len(self.labels) / BAR_MAX_LABELS))
        fits = max(
            3, min(BAR_LABEL_CHARS, int(slot * every / BAR_CHAR_PX))
        )  # characters a label has room for
        lanes = 1 if self.stacked else max(len(self.series), 1)
        width = max(slot * 0.8 / lanes, 0.5)
        for i, label in enumerate(self.labels):
            x0 = LEFT + slot * i + slot * 0.1
            up = down = 0.0
            for lane, series in enumerate(self.series):
                value = float(series.values[i])
                if value == 0:
                    continue
                if self.stacked:
                    base = up if value > 0 else down
                    start, end = base, base + value
                    if value > 0:
                        up = end
                    else:
                        down = end
                    x = x0
                else:
                    start, end = 0.0, value
                    x = x0 + lane * width
                top, bottom = y(max(start, end)), y(min(start, end))
                parts.append(
                    format_html(
                        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
                        series.css,
                        _n(x),
                        _n(top),
                        _n(width),
                        _n(max(bottom - top, 0.5)),
                        f"{label}: {series.name} {value:g}{self.unit}",
                    )
                )
            if i % every == 0:
                short = label if len(label) <= fits else label[: fits - 1] + "…"
                parts.append(
                    format_html(
                        '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                        _n(LEFT + slot * i + slot / 2),
                        HEIGHT - BOTTOM + 16,
                        short,
                    )
                )
        if y_min < 0:
            parts.append(
                format_html(
                    '<line class="chart-zero" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                    LEFT,
                    WIDTH - RIGHT,
                    _n(y(0)),
                    _n(y(0)),
                )
            )
        parts.append(_y_axis_label(self.y_label))
        return svg_document(
            "".join([_frame(), *parts]), title=title, description=description, chart_id=chart_id
        )
