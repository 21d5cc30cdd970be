"""The ``tenure`` command as a user runs it: real process, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "scenarios"


def tenure(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tenure.entrypoints.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,  # a guard against a hang, not a speed test (CI machines are shared)
    )


def test_simulate_prints_the_outcome_as_json() -> None:
    result = tenure("simulate", str(EXAMPLES / "redconnect-cancel-quarter.yaml"))
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["contract"]["status"] == "ended"
    assert outcome["contract"]["end_date"] == "2026-06-30"
    assert [i["issue_date"] for i in outcome["invoices"]][-1] == "2026-06-01"


def test_simulate_check_compares_with_the_expected_files() -> None:
    result = tenure("simulate", "--check", *map(str, sorted(EXAMPLES.glob("*.yaml"))))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "matches" in result.stdout


def test_a_mismatch_exits_1_and_names_the_field(tmp_path: Path) -> None:
    expected = tmp_path / "wrong.json"
    expected.write_text(json.dumps({"contract": {"status": "active"}}), encoding="utf-8")
    scenario = str(EXAMPLES / "redconnect-cancel-quarter.yaml")
    result = tenure("simulate", scenario, "--expect", str(expected))
    assert result.returncode == 1
    assert "contract.status: expected 'active', got 'ended'" in result.stderr


def test_a_malformed_scenario_exits_2_with_the_path_of_the_bad_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    catalog = (ROOT / "examples" / "catalogs" / "cloudcrm.yaml").as_posix()
    bad.write_text(
        f"catalog: {catalog}\n"
        "customer: {type: business, name: X, country: DE, email: x@example.com}\n"
        "contract: {plan: business, start: 2026-01-15, colour: red}\n",
        encoding="utf-8",
    )
    result = tenure("simulate", str(bad))
    assert result.returncode == 2
    assert "contract.colour: unknown key" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_exits_2_without_traceback() -> None:
    result = tenure("simulate", "no-such-file.yaml")
    assert result.returncode == 2
    assert "no-such-file.yaml: cannot read file" in result.stderr
    assert "Traceback" not in result.stderr


def test_catalog_validate_accepts_a_good_catalog() -> None:
    result = tenure("catalog", "validate", str(ROOT / "examples" / "catalogs" / "cloudcrm.yaml"))
    assert result.returncode == 0
    assert "is valid: 1 plan(s), 2 add-on(s)" in result.stdout
    # valid, with notices of what its documents lack (the example vendor has no contact)
    assert "note: vendor.email is not set: XRechnung requires" in result.stderr


def test_catalog_validate_lists_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "vendor: {name: X, address: 'a, DE', timezone: Nowhere/City}\n"
        "plans:\n  p: {name: P, price: '-1', billing_cycle: monthly, notice: {days: 0},"
        " notice_to: period_end}\n",
        encoding="utf-8",
    )
    result = tenure("catalog", "validate", str(bad))
    assert result.returncode == 2
    assert "vendor.timezone: unknown time zone 'Nowhere/City'" in result.stderr
    assert "plans.p.price: must not be negative, not -1" in result.stderr


def test_unknown_option_is_a_usage_error() -> None:
    result = tenure("simulate", "--frobnicate")
    assert result.returncode == 2
