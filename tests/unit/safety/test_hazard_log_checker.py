"""The hazard-log checker on small repositories made in tmp_path: it passes a good log and fails each bad one.

Without these, a checker that found nothing would let the project's own log pass whatever it said.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ivig.safety import hazard_log as hl

EVIDENCE = """
import pytest


def test_it_holds() -> None:
    pass


@pytest.mark.parametrize("n", [1, 2])
def test_it_holds_for_each(n: int) -> None:
    pass


class TestGroup:
    def test_it_holds_in_a_class(self) -> None:
        pass

    def helper(self) -> None:
        pass


@pytest.mark.skip(reason="later")
def test_it_is_skipped() -> None:
    pass


@pytest.mark.xfail
def test_it_is_expected_to_fail() -> None:
    pass


def helper() -> None:
    pass
"""

FINDINGS = """
source = "issue 99"

[[findings]]
number = 1
key = "first-finding"
text = "Something went wrong"

[[findings]]
number = 2
key = "second-finding"
text = "Something else went wrong"
"""


def hazard_text(
    hazard_id: str = "H1-good",
    *,
    finding: str = '"first-finding"',
    initial: tuple[str, str] = ("major", "medium"),
    residual: tuple[str, str] = ("major", "very-low"),
    tests: str = '["tests/unit/test_evidence.py::test_it_holds"]',
    drop: str = "",
    extra: str = "",
) -> str:
    lines = [
        f'id = "{hazard_id}"',
        'title = "A title"',
        'cause = "A cause"',
        'effect = "An effect"',
        f"finding = {finding}",
        extra,
        "[initial]",
        f'severity = "{initial[0]}"',
        f'likelihood = "{initial[1]}"',
        "[residual]",
        f'severity = "{residual[0]}"',
        f'likelihood = "{residual[1]}"',
        "[[controls]]",
        'description = "A control"',
        f"tests = {tests}",
    ]
    return "\n".join(line for line in lines if not (drop and line.startswith(f"{drop} ="))) + "\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose log is correct: one hazard per finding, rendered."""
    (tmp_path / "tests/unit").mkdir(parents=True)
    (tmp_path / "tests/unit/test_evidence.py").write_text(EVIDENCE)
    (tmp_path / hl.HAZARDS_DIR).mkdir(parents=True)
    (tmp_path / hl.SAFETY_DIR / "findings-issue-99.toml").write_text(FINDINGS)
    write(tmp_path, "H1-good", hazard_text())
    write(tmp_path, "H2-good", hazard_text("H2-good", finding='["second-finding"]'))
    rerender(tmp_path)
    return tmp_path


def write(root: Path, name: str, text: str) -> None:
    (root / hl.HAZARDS_DIR / f"{name}.toml").write_text(text)


def rerender(root: Path) -> None:
    (root / hl.RENDERED).write_text(hl.render(hl.load_log(root)))


def problems_after(root: Path, name: str, text: str) -> list[str]:
    write(root, name, text)
    rerender(root)
    return hl.check(root)


def test_it_passes_a_correct_log(repo: Path) -> None:
    assert hl.check(repo) == []


@pytest.mark.parametrize("field", ["id", "title", "cause", "effect", "finding", "tests"])
def test_it_fails_a_hazard_missing_a_field(repo: Path, field: str) -> None:
    problems = problems_after(repo, "H1-good", hazard_text(drop=field))
    assert any(f"'{field}'" in p for p in problems), problems


@pytest.mark.parametrize("table", ["initial", "residual", "controls"])
def test_it_fails_a_hazard_missing_a_table(repo: Path, table: str) -> None:
    text = hazard_text().replace(f"[{table}]", "[other]")
    problems = problems_after(repo, "H1-good", text)
    assert any(table in p for p in problems), problems


def test_it_fails_an_unknown_severity_or_likelihood(repo: Path) -> None:
    problems = problems_after(repo, "H1-good", hazard_text(initial=("severe", "likely")))
    assert any("initial.severity 'severe'" in p for p in problems)
    assert any("initial.likelihood 'likely'" in p for p in problems)


def test_it_fails_an_unknown_key_such_as_a_misspelt_table(repo: Path) -> None:
    problems = problems_after(repo, "H1-good", hazard_text(extra='titel = "typo"'))
    assert any("unknown key 'titel'" in p for p in problems)


def test_it_fails_a_file_that_is_not_toml(repo: Path) -> None:
    problems = problems_after(repo, "H1-good", "id = \n")
    assert any(p.startswith("docs/safety/hazards/H1-good.toml: not readable TOML") for p in problems)


def test_it_fails_a_residual_risk_above_the_initial(repo: Path) -> None:
    problems = problems_after(
        repo, "H1-good", hazard_text(initial=("minor", "low"), residual=("major", "high"))
    )
    assert any(
        "residual risk major x high = 4 is higher than the initial minor x low = 1" in p for p in problems
    )


def test_it_accepts_a_residual_equal_to_the_initial(repo: Path) -> None:
    assert problems_after(repo, "H1-good", hazard_text(residual=("major", "medium"))) == []


def test_it_fails_a_control_that_names_no_test(repo: Path) -> None:
    problems = problems_after(repo, "H1-good", hazard_text(tests="[]"))
    assert any("control 1: 'tests' must list at least one test" in p for p in problems)


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("tests/unit/test_missing.py::test_it_holds", "no file tests/unit/test_missing.py"),
        ("tests/unit/test_evidence.py::test_it_is_gone", "no test test_it_is_gone"),
        ("tests/unit/test_evidence.py::TestGroup::test_it_is_gone", "no test TestGroup::test_it_is_gone"),
        ("tests/unit/test_evidence.py::TestOther::test_it_holds_in_a_class", "no test TestOther::"),
        ("tests/unit/test_evidence.py::test_it_holds_in_a_class", "no test test_it_holds_in_a_class"),
        ("tests/unit/test_evidence.py::helper", "no test helper"),
        ("tests/unit/test_evidence.py::TestGroup::helper", "no test TestGroup::helper"),
        ("tests/unit/test_evidence.py::test_it_is_skipped", "marked skip"),
        ("tests/unit/test_evidence.py::test_it_is_expected_to_fail", "marked xfail"),
        ("tests/unit/test_evidence.py", "is not tests/"),
        ("tests/unit/test_evidence.py:test_it_holds", "is not tests/"),
        ("bench/test_evidence.py::test_it_holds", "is not tests/"),
        ("tests/unit/evidence.py::test_it_holds", "is not tests/"),
        ("tests/../tests/unit/test_evidence.py::test_it_holds", "is not tests/"),
        ("test_it_holds", "is not tests/"),
    ],
)
def test_it_fails_a_test_that_does_not_exist_or_would_not_run(
    repo: Path, reference: str, reason: str
) -> None:
    problems = problems_after(repo, "H1-good", hazard_text(tests=f'["{reference}"]'))
    assert len(problems) == 1 and reason in problems[0], problems
    assert problems[0].startswith("H1-good: control 1: ")


def test_it_fails_one_bad_test_among_good_ones(repo: Path) -> None:
    tests = '["tests/unit/test_evidence.py::test_it_holds", "tests/unit/test_evidence.py::test_nope"]'
    assert len(problems_after(repo, "H1-good", hazard_text(tests=tests))) == 1


@pytest.mark.parametrize(
    "reference",
    [
        "tests/unit/test_evidence.py::test_it_holds_for_each[1]",
        "tests/unit/test_evidence.py::test_it_holds_for_each[a b-c::d]",
        "tests/unit/test_evidence.py::TestGroup::test_it_holds_in_a_class",
    ],
)
def test_it_accepts_parametrized_ids_and_class_methods(repo: Path, reference: str) -> None:
    assert problems_after(repo, "H1-good", hazard_text(tests=f'["{reference}"]')) == []


def test_it_fails_a_test_file_that_does_not_parse(repo: Path) -> None:
    (repo / "tests/unit/test_evidence.py").write_text("def test_it_holds(:\n")
    assert any("is not valid Python" in p for p in hl.check(repo))


def test_it_fails_an_id_that_does_not_match_its_file_name(repo: Path) -> None:
    problems = problems_after(repo, "H1-good", hazard_text("H1-other"))
    assert problems == ["H1-good.toml: id 'H1-other' does not match the file name"]


def test_it_fails_the_same_id_twice(repo: Path) -> None:
    problems = problems_after(repo, "h1-GOOD", hazard_text("H1-good"))
    assert any("is also used by" in p for p in problems), problems


def test_it_fails_a_finding_key_it_does_not_know(repo: Path) -> None:
    problems = problems_after(repo, "H1-good", hazard_text(finding='"issue 99: Something went wrong"'))
    assert any("finding 'issue 99: Something went wrong' is not a key" in p for p in problems)


def test_it_fails_a_finding_no_hazard_answers(repo: Path) -> None:
    (repo / hl.HAZARDS_DIR / "H2-good.toml").unlink()
    rerender(repo)
    assert hl.check(repo) == ["finding 'second-finding' (issue 99 #2) is answered by no hazard"]
    assert [f.key for f in hl.unanswered_findings(hl.load_log(repo))] == ["second-finding"]


def test_it_fails_a_rendered_log_that_is_out_of_date(repo: Path) -> None:
    write(repo, "H1-good", hazard_text().replace("A cause", "Another cause"))
    assert hl.check(repo) == [
        f"{hl.RENDERED} is out of date with the hazard files: run `{hl.RENDER_COMMAND}`"
    ]


def test_it_fails_a_missing_rendered_log(repo: Path) -> None:
    (repo / hl.RENDERED).unlink()
    assert len(hl.check(repo)) == 1


def test_it_renders_every_hazard_with_its_ratings_controls_and_tests(repo: Path) -> None:
    page = (repo / hl.RENDERED).read_text()
    assert "## H1-good" in page and "## H2-good" in page
    assert "| Initial risk | major x medium: **3** |" in page
    assert "| Residual risk | major x very-low: **2** |" in page
    assert "`tests/unit/test_evidence.py::test_it_holds`" in page
    assert "| 2 | `second-finding` | Something else went wrong | [H2-good](#h2-good) |" in page


def test_it_renders_and_checks_from_the_command_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / hl.RENDERED).unlink()
    assert hl.main(["render", "--root", str(repo)]) == 0
    assert hl.main(["check", "--root", str(repo)]) == 0
    write(repo, "H1-good", hazard_text(tests='["tests/unit/test_evidence.py::test_nope"]'))
    assert hl.main(["check", "--root", str(repo)]) == 1
    assert "no test test_nope" in capsys.readouterr().out
