"""`ivig schedule`: schedule an infusion-centre day from an instance file, or generate an instance.

`ivig schedule INSTANCE.json` runs the optimiser (`solve` is the default subcommand, so the file can
follow `schedule` directly); `ivig schedule generate --appointments N --seed S` writes a random day.
Home-infusion days: `ivig schedule routes HOME_DAY.json` plans the nurses' routes, `ivig schedule
check-routes HOME_DAY.json RESULT.json` checks saved routes, `ivig schedule generate-home` writes a
random day.
OR-Tools and rich are imported inside the commands, so other commands start fast.
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from ivig.cli.app import app

if TYPE_CHECKING:
    from ivig.clinical.scheduling import Instance, RouteInstance, RouteResult, Schedule

Opt = typer.Option
USAGE_ERROR = 2
PLAN_ERROR = 1  # the checker rejected a plan: a fault in ivig, not in the input


class _SolveByDefault(TyperGroup):
    """Read `ivig schedule FILE ...` as `ivig schedule solve FILE ...`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["solve", *args]
        return super().parse_args(ctx, args)


schedule_app = typer.Typer(
    cls=_SolveByDefault,
    help="Schedule an infusion-centre day with CP-SAT: `ivig schedule INSTANCE.json` is short for"
    " `ivig schedule solve INSTANCE.json`.",
    no_args_is_help=True,
)
app.add_typer(schedule_app, name="schedule")


class Baseline(enum.StrEnum):
    NONE = "none"
    FCFS = "fcfs"


class RouteBaseline(enum.StrEnum):
    NONE = "none"
    NEAREST = "nearest-neighbour"


def _fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


@schedule_app.command("solve")
def solve_command(
    instance_file: Annotated[
        Path, typer.Argument(metavar="INSTANCE.json", help="The day to schedule (JSON).")
    ],
    as_json: Annotated[bool, Opt("--json", help="Print JSON instead of a table.")] = False,
    time_limit: Annotated[float, Opt("--time-limit", min=0.1, help="Solver time limit, seconds.")] = 10.0,
    workers: Annotated[int, Opt(min=1, help="Solver threads.")] = 2,
    seed: Annotated[int, Opt(help="Solver random seed.")] = 1,
    deterministic: Annotated[
        bool, Opt("--deterministic", help="Use CP-SAT's deterministic time: the same plan on every run.")
    ] = False,
    baseline: Annotated[
        Baseline, Opt(case_sensitive=False, help="fcfs: first come, first served instead of the optimiser.")
    ] = Baseline.NONE,
) -> None:
    """Schedule the day in INSTANCE.json: each request gets a chair, a nurse and a start, or a reason."""
    from ivig.clinical.scheduling import (
        InstanceError,
        SolverSettings,
        check_schedule,
        load_instance,
        optimise,
        schedule_fcfs,
    )

    try:
        instance = load_instance(instance_file)
    except InstanceError as error:
        _fail(str(error))
    try:
        if baseline is Baseline.FCFS:
            plan = schedule_fcfs(instance)
        else:
            plan = optimise(instance, SolverSettings(time_limit, workers, seed, deterministic))
    except Exception as error:  # a fault in ivig, not in the input: say so plainly, no traceback
        _fail(f"could not schedule {instance_file}: {type(error).__name__}: {error}", PLAN_ERROR)
    problems = check_schedule(instance, plan)
    if problems:  # never print a plan that cannot be carried out
        _fail("the plan breaks rules: " + "; ".join(str(p) for p in problems[:5]), PLAN_ERROR)
    if as_json:
        sys.stdout.write(json.dumps(plan.to_dict(), indent=2) + "\n")
    else:
        _print_table(instance, plan)


@schedule_app.command("generate")
def generate_command(
    appointments: Annotated[int, Opt(min=1, max=2000, help="Requests in the day.")],
    seed: Annotated[int, Opt(help="Random seed: the same seed gives the same day.")] = 1,
    output: Annotated[Path | None, Opt(help="Write the instance here instead of printing it.")] = None,
    handover_day: Annotated[
        bool, Opt("--handover-day", help="Early and late shifts and long late infusions (issue 21).")
    ] = False,
) -> None:
    """Write a realistic random day: durations from rate plans, chairs with features, staggered nurses."""
    from ivig.clinical.scheduling import generate_instance, instance_to_dict

    day = generate_instance(appointments, seed, handover_day=handover_day)
    text = json.dumps(instance_to_dict(day), indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")
    typer.echo(f"Wrote {appointments} requests to {output}", err=True)


def _print_table(instance: Instance, plan: Schedule) -> None:
    from rich.console import Console
    from rich.table import Table

    from ivig.clinical.scheduling import format_time, lower_bound_day_min

    console = Console()
    table = Table("start", "end", "chair", "nurse", "request", title=f"{instance.date} ({plan.method})")
    for a in plan.assignments:  # a handover: "N1 until 15:30, N2 from 15:15"
        last = len(a.chain) - 1
        nurses = (
            ", ".join(
                f"{s.nurse} from {format_time(s.start_min)}"
                if i == last
                else f"{s.nurse} until {format_time(s.end_min)}"
                for i, s in enumerate(a.chain)
            )
            if a.segments
            else a.nurse
        )
        table.add_row(format_time(a.start_min), format_time(a.end_min), a.chair, nurses, a.id)
    console.print(table)
    if plan.unscheduled:
        missing = Table("request", "why not", title="Unscheduled")
        for u in plan.unscheduled:
            missing.add_row(u.id, u.reason)
        console.print(missing)
    gap = "" if plan.gap is None else f", gap {plan.gap:.1%}"
    console.print(
        f"{plan.status.value}: {len(plan.assignments)} scheduled, {len(plan.unscheduled)} not; day "
        f"{plan.makespan_min} min (simple lower bound {lower_bound_day_min(instance)}), overtime "
        f"{plan.overtime_min} min, mean {plan.mean_deviation_min:.0f} min from preferred starts; "
        f"{plan.solve_s:.2f} s{gap}"
    )
    for note in plan.notes:
        console.print(f"Note: {note}")


@schedule_app.command("routes")
def routes_command(
    instance_file: Annotated[
        Path, typer.Argument(metavar="HOME_DAY.json", help="The home-infusion day to plan (JSON).")
    ],
    output: Annotated[Path | None, Opt(help="Also write the routes as JSON here.")] = None,
    seconds: Annotated[float, Opt("--seconds", min=0.1, help="Search time limit, seconds.")] = 4.5,
    effort: Annotated[
        int, Opt(min=1, help="Search branches: the same routes on every run unless --seconds stops it first.")
    ] = 8000,  # routes.DEFAULT_EFFORT (not imported here: the CLI loads OR-Tools only when it plans)
    as_json: Annotated[bool, Opt("--json", help="Print JSON instead of tables.")] = False,
    baseline: Annotated[
        RouteBaseline, Opt(case_sensitive=False, help="nearest-neighbour: the greedy baseline instead.")
    ] = RouteBaseline.NONE,
) -> None:
    """Plan each nurse's route for the home visits in HOME_DAY.json; visits left out get a reason."""
    from ivig.clinical.scheduling import (
        InstanceError,
        check_routes,
        load_route_instance,
        plan_routes,
        plan_routes_nearest_neighbour,
        route_result_to_dict,
    )

    try:
        instance = load_route_instance(instance_file)
        if baseline is RouteBaseline.NEAREST:
            result = plan_routes_nearest_neighbour(instance)
        else:
            result = plan_routes(instance, time_limit_s=seconds, effort=effort)
    except InstanceError as error:
        _fail(str(error))
    except Exception as error:  # a fault in ivig, not in the input
        _fail(f"could not plan {instance_file}: {type(error).__name__}: {error}", PLAN_ERROR)
    problems = check_routes(instance, result)
    broken = [p for p in problems if p.rule != "fixed-dropped"]
    if broken:  # never print routes that cannot be driven
        _fail("the routes break rules: " + "; ".join(str(p) for p in broken[:5]), PLAN_ERROR)
    text = json.dumps(route_result_to_dict(result), indent=2) + "\n"
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")
    if as_json:
        sys.stdout.write(text)
    else:
        _print_routes(instance, result)
    for problem in problems:  # confirmed visits that cannot be kept: the coordinator must decide
        typer.echo(f"Warning: {problem.message}", err=True)


@schedule_app.command("check-routes")
def check_routes_command(
    instance_file: Annotated[Path, typer.Argument(metavar="HOME_DAY.json", help="The day (JSON).")],
    result_file: Annotated[Path, typer.Argument(metavar="RESULT.json", help="Its routes (JSON).")],
) -> None:
    """Check saved routes against their day: windows, shifts, skills, overlap, travel, confirmed visits."""
    from ivig.clinical.scheduling import InstanceError, check_routes, load_route_instance, load_route_result

    try:
        problems = check_routes(load_route_instance(instance_file), load_route_result(result_file))
    except InstanceError as error:
        _fail(str(error))
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        raise typer.Exit(PLAN_ERROR)
    typer.echo(f"{result_file}: the routes keep every rule")


@schedule_app.command("generate-home")
def generate_home_command(
    visits: Annotated[int, Opt(min=1, max=500, help="Home visits in the day.")] = 50,
    nurses: Annotated[int, Opt(min=1, max=100, help="Nurses on duty.")] = 8,
    seed: Annotated[int, Opt(help="Random seed: the same seed gives the same day.")] = 1,
    output: Annotated[Path | None, Opt(help="Write the day here instead of printing it.")] = None,
) -> None:
    """Write a random home-infusion day: homes around a city, windows, skills, nurses' shifts and bases."""
    from ivig.clinical.scheduling import generate_home_day, route_instance_to_dict

    text = json.dumps(route_instance_to_dict(generate_home_day(visits, nurses, seed)), indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")
    typer.echo(f"Wrote {visits} visits and {nurses} nurses to {output}", err=True)


def _print_routes(instance: RouteInstance, result: RouteResult) -> None:
    from rich.console import Console
    from rich.table import Table

    from ivig.clinical.scheduling import format_time

    console = Console()
    for route in result.routes:
        nurse = instance.nurse(route.nurse)
        title = (
            f"{nurse.id} (shift {format_time(nurse.start_min)}-{format_time(nurse.end_min)}):"
            f" leaves {format_time(route.leave_min)}, back {format_time(route.return_min)},"
            f" {route.travel_min} min travel"
        )
        table = Table("#", "visit", "patient", "arrive", "start", "end", "travel min", title=title)
        for number, stop in enumerate(route.stops, start=1):
            visit = instance.visit(stop.visit)
            table.add_row(
                str(number),
                stop.visit + (" (confirmed)" if visit.fixed else ""),
                visit.patient,
                format_time(stop.arrive_min),
                format_time(stop.start_min),
                format_time(stop.end_min),
                str(stop.travel_min),
            )
        back = format_time(route.return_min)
        table.add_row("", "back at base", "", back, "", "", str(route.return_travel_min))
        console.print(table)
    if result.unassigned:
        missing = Table("visit", "why not", title="Not planned")
        for item in result.unassigned:
            missing.add_row(item.visit, item.reason)
        console.print(missing)
    console.print(
        f"{instance.date} ({result.method}): {result.scheduled} visits planned, {len(result.unassigned)} not;"
        f" {result.total_travel_min} min travel; {result.solve_s:.2f} s"
    )
    for note in result.notes:
        console.print(f"Note: {note}")
