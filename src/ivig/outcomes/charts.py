"""The outcome charts: IgG history with doses, fitted curve and band; platelets with the IWG levels."""

from __future__ import annotations

from datetime import timedelta

from django.utils.safestring import SafeString

from ivig.clinical.outcomes.itp import CR_PLATELETS_10E9_PER_L, R_BASELINE_MULTIPLE, R_PLATELETS_10E9_PER_L
from ivig.clinical.pk.report import PkReport
from ivig.lib.charts import TimeChart, day_number
from ivig.outcomes.pk_data import PkInputs
from ivig.outcomes.summary import ItpSummary

CLASS_LABELS = {
    "complete-response": "complete response",
    "response": "response",
    "no-response": "no response",
    "not-yet-confirmed": "not yet confirmed",
}


def igg_chart(inputs: PkInputs, report: PkReport | None, target_g_per_l: float | None) -> SafeString:
    """Measured IgG levels and dose marks; with a fit, the predicted curve and its band."""
    moments = [e.dose.start for e in inputs.doses] + [level.at for _r, level in inputs.levels]
    start, end = min(moments) - timedelta(days=7), max(moments) + timedelta(days=7)
    values = [level.conc_g_per_l for _r, level in inputs.levels] + [target_g_per_l or 0.0]
    xs: list[float] = []
    if report is not None:
        origin = day_number(report.fit.origin)
        xs = [origin + float(d) for d in report.band.days]
        values += [float(v) for v in report.band.upper_g_per_l]
        end = max(end, report.fit.origin + timedelta(days=float(report.band.days[-1])))
    chart = TimeChart(start=start, end=end, y_max=max(values) * 1.1, y_label="IgG g/L")
    if report is not None:
        band = report.band
        chart.band(
            xs, [float(v) for v in band.lower_g_per_l], [float(v) for v in band.upper_g_per_l], "chart-band"
        )
        chart.line(xs, [float(v) for v in band.predicted_g_per_l], "chart-curve")
    if target_g_per_l:
        chart.hline(target_g_per_l, f"target trough {target_g_per_l:g} g/L", "chart-target")
    for event in inputs.doses:
        dose = event.dose
        how = f"{dose.route.upper()} over {dose.duration_h:.1f} h" if dose.duration_h else dose.route.upper()
        chart.event(dose.start, f"{dose.start:%Y-%m-%d}: {dose.dose_g:g} g {how} ({event.order.reference})")
    chart.points(
        (level.at, level.conc_g_per_l, "chart-point", f"{level.at:%Y-%m-%d}: IgG {level.conc_g_per_l:g} g/L")
        for _r, level in inputs.levels
    )
    desc = f"{len(inputs.levels)} IgG levels and {len(inputs.doses)} doses"
    if report is not None:
        desc += f"; predicted curve with its {report.band.coverage:.0%} band"
    return chart.render("IgG levels, doses and predicted curve", desc, "chart-igg")


def platelet_chart(itp: ItpSummary) -> SafeString | None:
    """Platelet counts since the baseline, each coloured by its own IWG class, with the response levels."""
    if itp.baseline is None or itp.assessment is None:
        return None
    base = itp.baseline
    counts = [(base.taken_on, float(base.value), "chart-point baseline", "baseline")]
    for result, cls in zip(itp.counts, itp.assessment.classes, strict=True):
        counts.append(
            (result.taken_on, float(result.value), f"chart-point iwg-{cls}", CLASS_LABELS[cls.value])
        )
    end = max(counts[-1][0], base.taken_on + timedelta(days=14))
    highest = max([v for _d, v, _c, _t in counts] + [CR_PLATELETS_10E9_PER_L])
    chart = TimeChart(
        start=base.taken_on - timedelta(days=2),
        end=end + timedelta(days=2),
        y_max=highest * 1.1,
        y_label="Platelets x10^9/L",
    )
    chart.hline(CR_PLATELETS_10E9_PER_L, "100: complete response", "chart-target")
    chart.hline(R_PLATELETS_10E9_PER_L, "30: response level", "chart-ref")
    doubled = R_BASELINE_MULTIPLE * float(base.value)
    if doubled > R_PLATELETS_10E9_PER_L:
        chart.hline(doubled, f"{doubled:g}: twice the baseline", "chart-ref")
    chart.line([day_number(d) for d, _v, _c, _t in counts], [v for _d, v, _c, _t in counts], "chart-line")
    chart.points((d, v, css, f"{d:%Y-%m-%d}: {v:g} x10^9/L, {label}") for d, v, css, label in counts)
    for bleed in itp.bleeds:
        if bleed.started_on >= base.taken_on - timedelta(days=2):
            chart.event(
                bleed.started_on, f"bleeding {bleed.started_on:%Y-%m-%d}: {bleed.description}", "chart-bleed"
            )
    status = CLASS_LABELS[itp.assessment.status.value]
    return chart.render(
        "Platelet counts and ITP response",
        f"{len(itp.counts)} counts after a baseline of {base.value} on {base.taken_on:%Y-%m-%d}; "
        f"status: {status}",
        "chart-platelets",
    )
