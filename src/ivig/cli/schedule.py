"""`ivig schedule`: schedule an infusion-centre day from an instance file, or generate an instance.

`ivig schedule INSTANCE.json` runs the optimiser (`solve` is the default subcommand, so the file can
follow `schedule` directly); `ivig schedule generate --appointments N --seed S` writes a random day.
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
    from ivig.clinical.scheduling import Instance, Schedule

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
