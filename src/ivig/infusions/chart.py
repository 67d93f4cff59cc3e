"""The record's chart: planned against actual pump rate over time, with vital signs and reactions, as SVG.

Built here from the session's rows with the chart engine's parts (ivig.lib.charts: scales, paths, the <svg>);
colours come from presentation attributes and CSS classes, never `style=` (the CSP forbids inline styles).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from django.utils import timezone

from ivig.clinical.infusion.titration import planned_volume_ml, steps_from_plan
from ivig.infusions.models import InfusionSession
from ivig.lib.charts import Scale, path_d, svg_document

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 28, 44


@dataclass(frozen=True)
class _Scale:
    """Minutes from the start across, mL/h up."""

    start: datetime
    minutes: float
    max_rate: float

    def x(self, moment: datetime) -> float:
        return self.x_min((moment - self.start).total_seconds() / 60)

    def x_min(self, minutes: float) -> float:
        return Scale(0, self.minutes, LEFT, WIDTH - RIGHT)(minutes)

    def y(self, rate: float) -> float:
        return Scale(0, self.max_rate, HEIGHT - BOTTOM, TOP)(rate)


def rate_chart(session: InfusionSession, until: datetime) -> str:
    """Return an <svg> of the session; empty text before the infusion has started."""
    if session.started_at is None:
        return ""
    start = session.started_at
    end = session.ended_at or until
    planned = planned_volume_ml(steps_from_plan(session.plan_day), float(session.volume_planned_ml))
    segments = list(session.segments.all())
    minutes = max((end - start).total_seconds() / 60, planned[-1][1] if planned else 0, 30) * 1.04
    top = max([r for _, _, r in planned] + [float(s.rate_ml_per_h) for s in segments] + [1.0]) * 1.15
    scale = _Scale(start, minutes, top)
    parts = _axes(scale)
    plan_points: list[tuple[float, float]] = []
    for begin, finish, rate in planned:
        plan_points += [(scale.x_min(begin), scale.y(rate)), (scale.x_min(finish), scale.y(rate))]
    if plan_points:
        plan_points.append((plan_points[-1][0], scale.y(0)))
        parts.append(
            f'<path class="planned" d="{path_d(plan_points)}" fill="none" stroke="#5a6470" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    actual: list[tuple[float, float]] = []
    for segment in segments:
        rate = float(segment.rate_ml_per_h)
        stop = segment.ended_at or end
        actual += [(scale.x(segment.started_at), scale.y(rate)), (scale.x(stop), scale.y(rate))]
    if actual:
        actual.append((actual[-1][0], scale.y(0)))
        parts.append(
            f'<path class="actual" d="{path_d(actual)}" fill="none" stroke="#0b5cad" stroke-width="3"/>'
        )
    for vitals in session.vitals.all():
        if vitals.taken_at < start:
            continue
        flagged = bool(vitals.flags)
        parts.append(
            f'<circle class="vitals-marker{" flagged" if flagged else ""}" '
            f'cx="{scale.x(vitals.taken_at):.1f}" '
            f'cy="{TOP - 10}" r="5" fill="{"#b3261e" if flagged else "#1e7b34"}">'
            f"<title>Vital signs {timezone.localtime(vitals.taken_at):%H:%M}"
            f"{escape(': ' + '; '.join(vitals.flags)) if flagged else ''}</title></circle>"
        )
    for reaction in session.reactions.all():
        x = scale.x(reaction.onset_at)
        parts.append(
            f'<path class="reaction-marker" d="M{x:.1f},{TOP + 2} l7,12 l-14,0 z" fill="#b3261e">'
            f"<title>Grade {reaction.grade} reaction {timezone.localtime(reaction.onset_at):%H:%M}: "
            f"{escape(', '.join(reaction.symptom_labels()))}</title></path>"
            f'<line x1="{x:.1f}" y1="{TOP + 14}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" stroke="#b3261e" '
            'stroke-dasharray="2 3"/>'
        )
    parts += _legend()
    return svg_document(
        "".join(parts),
        title="Pump rate over time: planned and actual",
        description="Planned steps (dashed) and the recorded rates (solid) from "
        f"{timezone.localtime(start):%H:%M}; circles mark vital signs, triangles reactions.",
        chart_id="chart",
        css="rate-chart",
        with_id=False,
    )


def _axes(scale: _Scale) -> list[str]:
    base, parts = HEIGHT - BOTTOM, []
    parts.append(f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#1b1f24"/>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#1b1f24"/>')
    for i in range(5):
        rate = scale.max_rate / 1.15 * i / 4
        y = scale.y(rate)
        parts.append(
            f'<line x1="{LEFT - 4}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d5dbe1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{rate:.0f}</text>'
        )
    step = 30 if scale.minutes <= 360 else 60
    minute = 0
    while minute <= scale.minutes:
        x = scale.x_min(minute)
        label = timezone.localtime(scale.start + timedelta(minutes=minute)).strftime("%H:%M")
        parts.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" stroke="#1b1f24"/>')
        parts.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" font-size="11">{label}</text>')
        minute += step
    parts.append(f'<text x="12" y="{TOP - 12}" font-size="11">mL/h</text>')
    return parts


def _legend() -> list[str]:
    y = HEIGHT - 10
    return [
        f'<line x1="{LEFT}" y1="{y - 4}" x2="{LEFT + 24}" y2="{y - 4}" stroke="#5a6470" stroke-width="2" '
        'stroke-dasharray="6 4"/>',
        f'<text x="{LEFT + 30}" y="{y}" font-size="11">planned</text>',
        f'<line x1="{LEFT + 100}" y1="{y - 4}" x2="{LEFT + 124}" y2="{y - 4}" stroke="#0b5cad" '
        'stroke-width="3"/>',
        f'<text x="{LEFT + 130}" y="{y}" font-size="11">actual</text>',
        f'<circle cx="{LEFT + 200}" cy="{y - 4}" r="5" fill="#1e7b34"/>',
        f'<text x="{LEFT + 210}" y="{y}" font-size="11">vital signs (red: out of range)</text>',
        f'<path d="M{LEFT + 420},{y - 10} l6,10 l-12,0 z" fill="#b3261e"/>',
        f'<text x="{LEFT + 432}" y="{y}" font-size="11">reaction</text>',
    ]
