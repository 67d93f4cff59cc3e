"""The project's own hazard log: complete, consistent, backed by real tests, rendered, covering issue 16."""

from __future__ import annotations

from pathlib import Path

from ivig.safety import hazard_log as hl

ROOT = Path(__file__).resolve().parents[3]
LOG = hl.load_log(ROOT)


def test_it_has_hazards_and_findings_to_check() -> None:
    assert len(LOG.hazards) >= 1
    assert len(LOG.findings) >= 16


def test_it_reads_every_hazard_file_with_all_its_fields() -> None:
    files = sorted((ROOT / hl.HAZARDS_DIR).glob("*.toml"))
    assert LOG.problems == ()
    assert len(LOG.hazards) == len(files)


def test_it_keeps_ids_unique_and_matching_file_names() -> None:
    assert hl.id_problems(LOG.hazards) == []


def test_it_keeps_every_residual_risk_at_or_below_the_initial() -> None:
    assert [p for h in LOG.hazards for p in hl.risk_problems(h)] == []


def test_it_names_an_existing_test_for_every_control() -> None:
    assert all(control.tests for hazard in LOG.hazards for control in hazard.controls)
    assert [p for h in LOG.hazards for p in hl.evidence_problems(h, ROOT)] == []


def test_it_answers_findings_by_their_keys() -> None:
    assert hl.finding_problems(LOG.hazards, LOG.findings) == []


def test_it_keeps_the_rendered_log_up_to_date() -> None:
    rendered = (ROOT / hl.RENDERED).read_text(encoding="utf-8")
    assert rendered == hl.render(LOG), f"run `{hl.RENDER_COMMAND}` and commit {hl.RENDERED}"


def test_it_lists_the_sixteen_findings_of_issue_16_once_each() -> None:
    issue_16 = [f for f in LOG.findings if f.source == "issue 16"]
    assert sorted(f.number for f in issue_16) == list(range(1, 17))
    assert len({f.key for f in LOG.findings}) == len(LOG.findings)


def test_it_answers_every_issue_16_finding_with_a_hazard() -> None:
    unanswered = [f"{f.number} {f.key}" for f in hl.unanswered_findings(LOG) if f.source == "issue 16"]
    assert unanswered == []
