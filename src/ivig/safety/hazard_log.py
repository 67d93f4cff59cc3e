"""The hazard log (DCB0129 style): one TOML file per hazard, checked here and rendered to Markdown.

Each hazard names its cause, effect, the finding it answers, its risk before and after its controls, and
for every control the tests that fail when the control breaks. A control whose evidence cannot be found
is not a control, so the checks below look each test up in its file (by parsing it, not importing it).

    python -m ivig.safety.hazard_log render   # write docs/safety/hazard-log.md from the data
    python -m ivig.safety.hazard_log check    # list every problem; exit 1 if there is one

Both run from the repository root (or take --root). No Django, no dependency beyond the standard library.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# The DCB0129 scales, lowest first, and its 5 x 5 matrix: RISK_MATRIX[likelihood][severity] -> rating 1-5.
# docs/safety/README.md shows the same matrix and what each rating asks for.
SEVERITIES = ("minor", "significant", "considerable", "major", "catastrophic")
LIKELIHOODS = ("very-low", "low", "medium", "high", "very-high")
RISK_MATRIX: dict[str, tuple[int, ...]] = {
    "very-high": (3, 4, 4, 5, 5),
    "high": (2, 3, 3, 4, 5),
    "medium": (2, 2, 3, 3, 4),
    "low": (1, 2, 2, 3, 4),
    "very-low": (1, 1, 2, 2, 3),
}

HAZARDS_DIR = Path("docs/safety/hazards")
FINDINGS_GLOB = "findings-*.toml"
SAFETY_DIR = Path("docs/safety")
RENDERED = Path("docs/safety/hazard-log.md")
RENDER_COMMAND = "python -m ivig.safety.hazard_log render"

_REQUIRED_TEXT = ("id", "title", "cause", "effect")
_KNOWN_KEYS = frozenset({*_REQUIRED_TEXT, "finding", "initial", "residual", "controls", "notes"})
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
# Only what pytest collects counts as evidence: testpaths = tests, files test_*.py, functions test*,
# classes Test*; a parametrized id ("name[case]") names the same function.
_TEST_REF = re.compile(
    r"^(?P<path>tests/(?:[\w-][\w.-]*/)*test_[\w.-]*\.py)::(?P<first>\w+)(?:::(?P<second>\w+))?(?:\[.*\])?$"
)


def rating(severity: str, likelihood: str) -> int:
    """Return the DCB0129 matrix rating (1 acceptable .. 5 unacceptable)."""
    return RISK_MATRIX[likelihood][SEVERITIES.index(severity)]


@dataclass(frozen=True, slots=True)
class Risk:
    severity: str
    likelihood: str

    @property
    def rating(self) -> int:
        return rating(self.severity, self.likelihood)

    def __str__(self) -> str:
        return f"{self.severity} x {self.likelihood} = {self.rating}"


@dataclass(frozen=True, slots=True)
class Control:
    description: str
    tests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hazard:
    id: str
    title: str
    cause: str
    effect: str
    findings: tuple[str, ...]  # keys from docs/safety/findings-*.toml
    initial: Risk
    residual: Risk
    controls: tuple[Control, ...]
    path: Path
    notes: str = ""  # e.g. why a residual 3 is accepted


@dataclass(frozen=True, slots=True)
class Finding:
    key: str
    number: int
    text: str
    source: str  # "issue 16"


class HazardFileError(ValueError):
    """A hazard file that cannot be read as a hazard; `problems` says every reason at once."""

    def __init__(self, path: Path, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.path = path
        self.problems = tuple(problems)


def load_hazard(path: Path) -> Hazard:
    """Read one hazard file; raise HazardFileError naming every missing or wrong field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise HazardFileError(path, [f"not readable TOML: {error}"]) from error
    problems: list[str] = []
    problems += [f"unknown key {key!r}" for key in sorted(set(data) - _KNOWN_KEYS)]
    text = {key: _text(data, key, problems) for key in _REQUIRED_TEXT}
    if text["id"] and not _ID.match(text["id"]):
        problems.append(f"id {text['id']!r} may hold only letters, digits and hyphens")
    findings = _findings_field(data.get("finding"), problems)
    initial = _risk(data.get("initial"), "initial", problems)
    residual = _risk(data.get("residual"), "residual", problems)
    controls = _controls(data.get("controls"), problems)
    notes = data.get("notes", "")
    if not isinstance(notes, str):
        problems.append("'notes' must be a string")
        notes = ""
    if problems or initial is None or residual is None:
        raise HazardFileError(path, problems)
    return Hazard(
        text["id"],
        text["title"],
        text["cause"],
        text["effect"],
        findings,
        initial,
        residual,
        controls,
        path,
        " ".join(notes.split()),
    )


def _text(data: dict[str, object], key: str, problems: list[str]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{key!r} must be a non-empty string")
        return ""
    return " ".join(value.split())


def _findings_field(value: object, problems: list[str]) -> tuple[str, ...]:
    keys = [value] if isinstance(value, str) else value
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k.strip() for k in keys):
        problems.append("'finding' must be a finding key, or a list of them")
        return ()
    return tuple(k.strip() for k in keys)


def _risk(value: object, name: str, problems: list[str]) -> Risk | None:
    if not isinstance(value, dict):
        problems.append(f"[{name}] table with severity and likelihood is missing")
        return None
    severity, likelihood = value.get("severity"), value.get("likelihood")
    if severity not in SEVERITIES:
        problems.append(f"{name}.severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    if likelihood not in LIKELIHOODS:
        problems.append(f"{name}.likelihood {likelihood!r} is not one of {', '.join(LIKELIHOODS)}")
    if severity not in SEVERITIES or likelihood not in LIKELIHOODS:
        return None
    return Risk(str(severity), str(likelihood))


def _controls(value: object, problems: list[str]) -> tuple[Control, ...]:
    if not isinstance(value, list) or not value:
        problems.append("at least one [[controls]] entry is needed")
        return ()
    controls = []
    for number, entry in enumerate(value, start=1):
        description = entry.get("description") if isinstance(entry, dict) else None
        tests = entry.get("tests") if isinstance(entry, dict) else None
        if not isinstance(description, str) or not description.strip():
            problems.append(f"control {number}: 'description' must be a non-empty string")
            description = ""
        if not isinstance(tests, list) or not tests or not all(isinstance(t, str) for t in tests):
            problems.append(f"control {number}: 'tests' must list at least one test as path::name")
            tests = []
        controls.append(Control(" ".join(description.split()), tuple(t.strip() for t in tests)))
    return tuple(controls)


@dataclass(frozen=True, slots=True)
class HazardLog:
    hazards: tuple[Hazard, ...]  # sorted by id
    findings: tuple[Finding, ...]
    problems: tuple[str, ...]  # files that could not be read, each "path: reason"


def load_log(root: Path) -> HazardLog:
    """Read every hazard and findings file under `root`, whoever added them."""
    hazards: list[Hazard] = []
    problems: list[str] = []
    for path in sorted((root / HAZARDS_DIR).glob("*.toml")):
        try:
            hazards.append(load_hazard(path))
        except HazardFileError as error:
            problems += [f"{_relative(path, root)}: {problem}" for problem in error.problems]
    findings: list[Finding] = []
    for path in sorted((root / SAFETY_DIR).glob(FINDINGS_GLOB)):
        try:
            findings += _load_findings(path)
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
            problems.append(f"{_relative(path, root)}: not a findings file ({error!r})")
    return HazardLog(tuple(sorted(hazards, key=lambda h: h.id)), tuple(findings), tuple(problems))


def _load_findings(path: Path) -> list[Finding]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    source = str(data["source"])
    return [Finding(str(f["key"]), int(f["number"]), str(f["text"]), source) for f in data["findings"]]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


# --- checks: each returns problems as "where: what" sentences; none means the check passes --------------


def id_problems(hazards: Iterable[Hazard]) -> list[str]:
    """Ids must match their file names and be unique (case-blind: file systems may be)."""
    problems, seen = [], dict[str, Hazard]()
    for hazard in hazards:
        if hazard.path.stem != hazard.id:
            problems.append(f"{hazard.path.name}: id {hazard.id!r} does not match the file name")
        other = seen.setdefault(hazard.id.lower(), hazard)
        if other is not hazard:
            problems.append(f"{hazard.path.name}: id {hazard.id!r} is also used by {other.path.name}")
    return problems


def risk_problems(hazard: Hazard) -> list[str]:
    """Controls may lower a risk, never raise it."""
    if hazard.residual.rating > hazard.initial.rating:
        return [f"{hazard.id}: residual risk {hazard.residual} is higher than the initial {hazard.initial}"]
    return []


def evidence_problems(hazard: Hazard, root: Path) -> list[str]:
    """Every control must name tests that pytest collects and runs (not skipped, not expected to fail)."""
    problems = []
    for number, control in enumerate(hazard.controls, start=1):
        if not control.tests:
            problems.append(f"{hazard.id}: control {number} names no test")
        problems += [
            f"{hazard.id}: control {number}: {problem}"
            for reference in control.tests
            if (problem := reference_problem(reference, root))
        ]
    return problems


def reference_problem(reference: str, root: Path) -> str:
    """Return why `reference` (path::function or path::Class::method) is not a runnable test, or ""."""
    match = _TEST_REF.match(reference)
    if match is None:
        return (
            f"{reference!r} is not tests/.../test_*.py::test_name (or ::TestClass::test_name), "
            "so pytest would not collect it"
        )
    path = root / match["path"]
    if not path.is_file():
        return f"{reference!r}: no file {match['path']}"
    tests = _collected_tests(path)
    if tests is None:
        return f"{reference!r}: {match['path']} is not valid Python"
    name = match["first"] if match["second"] is None else f"{match['first']}::{match['second']}"
    if name not in tests:
        return f"{reference!r}: no test {name} in {match['path']}"
    if tests[name]:
        return f"{reference!r}: the test is marked {tests[name]}, so it proves nothing"
    return ""


def _collected_tests(path: Path) -> dict[str, str] | None:
    """Map each test pytest would collect in `path` to the skip/xfail mark on it ("" for none)."""
    try:
        module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError):
        return None
    tests: dict[str, str] = {}
    for node in module.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            tests[node.name] = _disabling_mark(node.decorator_list)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            class_mark = _disabling_mark(node.decorator_list)
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                    tests[f"{node.name}::{item.name}"] = class_mark or _disabling_mark(item.decorator_list)
    return tests


def _disabling_mark(decorators: list[ast.expr]) -> str:
    for decorator in decorators:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in {"skip", "xfail"}:
            return target.attr
    return ""


def finding_problems(hazards: Iterable[Hazard], findings: Iterable[Finding]) -> list[str]:
    """A hazard must answer a finding the log knows (by key, so a typo cannot pass for an answer)."""
    known = {f.key for f in findings}
    return [
        f"{hazard.id}: finding {key!r} is not a key in docs/safety/{FINDINGS_GLOB} "
        f"(known: {', '.join(sorted(known))})"
        for hazard in hazards
        for key in hazard.findings
        if key not in known
    ]


def unanswered_findings(log: HazardLog) -> list[Finding]:
    answered = {key for hazard in log.hazards for key in hazard.findings}
    return [f for f in log.findings if f.key not in answered]


def check(root: Path) -> list[str]:
    """Every problem with the log under `root`, the rendered page included."""
    log = load_log(root)
    problems = [*log.problems, *id_problems(log.hazards)]
    for hazard in log.hazards:
        problems += risk_problems(hazard) + evidence_problems(hazard, root)
    problems += finding_problems(log.hazards, log.findings)
    problems += [
        f"finding {f.key!r} ({f.source} #{f.number}) is answered by no hazard"
        for f in unanswered_findings(log)
    ]
    rendered = root / RENDERED
    if not rendered.is_file() or rendered.read_text(encoding="utf-8") != render(log):
        problems.append(f"{RENDERED} is out of date with the hazard files: run `{RENDER_COMMAND}`")
    return problems


# --- rendering ---------------------------------------------------------------------------------------


def render(log: HazardLog) -> str:
    """The Markdown page, the same bytes for the same data (so a test can compare it)."""
    lines = [
        "# Hazard log",
        "",
        f"<!-- Generated from {HAZARDS_DIR.as_posix()}/*.toml by `{RENDER_COMMAND}`. Do not edit. -->",
        "",
        "Ratings come from the DCB0129 5 x 5 matrix in [README.md](README.md): 1 acceptable; 2 acceptable",
        "when further reduction costs more than it gains; 3 undesirable; 4 unacceptable until controlled;",
        "5 unacceptable.",
        "",
        "| Hazard | Title | Finding | Initial | Residual |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| [{h.id}](#{h.id.lower()}) | {_cell(h.title)} | {', '.join(h.findings)} "
        f"| {h.initial.rating} | {h.residual.rating} |"
        for h in log.hazards
    ]
    by_source: dict[str, list[Finding]] = {}
    for finding in log.findings:
        by_source.setdefault(finding.source, []).append(finding)
    for source, findings in by_source.items():
        lines += [
            "",
            f"## Findings of {source}",
            "",
            "| # | Key | Finding | Answered by |",
            "|---|---|---|---|",
        ]
        for f in sorted(findings, key=lambda f: f.number):
            answers = [f"[{h.id}](#{h.id.lower()})" for h in log.hazards if f.key in h.findings]
            lines.append(
                f"| {f.number} | `{f.key}` | {_cell(f.text)} | {'<br>'.join(answers) or '**none yet**'} |"
            )
    for hazard in log.hazards:
        lines += _hazard_section(hazard)
    return "\n".join(lines) + "\n"


def _hazard_section(h: Hazard) -> list[str]:
    lines = [
        "",
        f"## {h.id}",
        "",
        f"**{_cell(h.title)}**",
        "",
        "| | |",
        "|---|---|",
        f"| Cause | {_cell(h.cause)} |",
        f"| Effect | {_cell(h.effect)} |",
        f"| Finding | {', '.join(f'`{key}`' for key in h.findings)} |",
        f"| Initial risk | {h.initial.severity} x {h.initial.likelihood}: **{h.initial.rating}** |",
        f"| Residual risk | {h.residual.severity} x {h.residual.likelihood}: **{h.residual.rating}** |",
        *([f"| Notes | {_cell(h.notes)} |"] if h.notes else []),
        "",
        "| # | Control | Evidence (tests) |",
        "|---|---|---|",
    ]
    lines += [
        f"| {n} | {_cell(c.description)} | {'<br>'.join(f'`{t}`' for t in c.tests)} |"
        for n, c in enumerate(h.controls, start=1)
    ]
    return lines


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ivig.safety.hazard_log", description="Render or check the hazard log."
    )
    parser.add_argument("command", choices=("render", "check"))
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: here)")
    args = parser.parse_args(argv)
    root: Path = args.root
    if not (root / HAZARDS_DIR).is_dir():
        print(f"No {HAZARDS_DIR} under {root}: run from the repository root or give --root.", file=sys.stderr)
        return 2
    if args.command == "render":
        log = load_log(root)
        for problem in log.problems:
            print(f"Skipped: {problem}", file=sys.stderr)
        (root / RENDERED).write_text(render(log), encoding="utf-8")
        print(f"Wrote {RENDERED} ({len(log.hazards)} hazards).")
        return 1 if log.problems else 0
    problems = check(root)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s).", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
