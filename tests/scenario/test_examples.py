"""Every scenario with an expected result matches it, field by field, as the scenario README says:
the repository's own examples always, and the shared examples when ``../shared`` is present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenure.simulation.expect import differences
from tenure.simulation.runner import simulate
from tenure.simulation.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
OWN = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))
SHARED_DIR = ROOT.parent / "shared" / "scenarios" / "examples"
SHARED = sorted(SHARED_DIR.glob("*.yaml")) if SHARED_DIR.is_dir() else []
UPSTREAM_EXAMPLES = (
    "cloudcrm-addon-proration",
    "cloudcrm-withdrawal",
    "redconnect-cancel-quarter",
)


def expected_for(scenario: Path) -> dict[str, object]:
    path = scenario.with_name(scenario.name.removesuffix(".yaml") + ".expected.json")
    result: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return result


@pytest.mark.parametrize("store", ["sqlite", "memory"])
@pytest.mark.parametrize("scenario", OWN, ids=lambda p: p.stem)
def test_example_scenario_matches_its_expected_result(scenario: Path, store: str) -> None:
    outcome = simulate(load_scenario(scenario), store).to_json()  # type: ignore[arg-type]
    assert differences(expected_for(scenario), outcome) == []


def test_every_example_scenario_has_an_expected_result() -> None:
    missing = [p.name for p in OWN if not p.with_name(p.stem + ".expected.json").exists()]
    assert missing == []


def test_the_three_upstream_examples_are_bundled() -> None:
    assert {p.stem for p in OWN} >= set(UPSTREAM_EXAMPLES)


@pytest.mark.skipif(not SHARED, reason="../shared/scenarios/examples is not present here")
@pytest.mark.parametrize("scenario", SHARED, ids=lambda p: p.stem)
def test_shared_scenario_matches_its_expected_result(scenario: Path) -> None:
    outcome = simulate(load_scenario(scenario)).to_json()
    assert differences(expected_for(scenario), outcome) == []


@pytest.mark.skipif(not SHARED, reason="../shared/scenarios/examples is not present here")
def test_bundled_copies_equal_the_shared_examples() -> None:
    for shared in SHARED:
        own = ROOT / "examples" / "scenarios" / shared.name
        assert own.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8"), shared.name
