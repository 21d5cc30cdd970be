"""Scenario files are validated before anything runs; problems carry the path of the bad key."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.yaml_source import InputError, load_yaml
from tenure.domain.cancellation import CancellationKind
from tenure.simulation.scenario import parse_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"

BASE = """
catalog: ../catalogs/cloudcrm.yaml
customer: {type: business, name: Muster GmbH, country: DE, email: billing@muster.example}
contract: {plan: business, start: 2026-01-15}
"""


def parse(text: str) -> Any:
    return parse_scenario(load_yaml(text, "test"), "test", EXAMPLES)


def problems_of(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse(text)
    return caught.value.problems


def test_local_times_are_in_the_vendor_zone_and_offsets_are_honoured() -> None:
    scenario = parse(
        BASE
        + """steps:
  - at: 2026-02-03T10:00:00
    book_addon: {addon: extra_user, quantity: 2}
    as: users2
  - at: 2026-03-31T23:30:00+02:00
    cancel_contract: {kind: ordinary, requested_end: null}
until: 2026-07-31
"""
    )
    assert scenario.steps[0].at == datetime(2026, 2, 3, 9, 0, tzinfo=UTC)  # CET = UTC+1
    assert scenario.steps[1].at == datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    assert scenario.steps[1].args["kind"] is CancellationKind.ORDINARY
    assert scenario.until == date(2026, 7, 31)


def test_until_defaults_to_the_last_step() -> None:
    scenario = parse(BASE + "steps:\n  - at: 2026-02-03T10:00:00\n    revoke_cancellation: {}\n")
    assert scenario.until == date(2026, 2, 3)


def test_the_catalog_may_be_inline() -> None:
    catalog = (EXAMPLES.parent / "catalogs" / "cloudcrm.yaml").read_text(encoding="utf-8")
    indented = "\n".join("  " + line for line in catalog.splitlines())
    scenario = parse(BASE.replace("catalog: ../catalogs/cloudcrm.yaml", "catalog:\n" + indented))
    assert "business" in scenario.catalog.plans


def test_unknown_step_and_bad_arguments_are_reported_by_path() -> None:
    problems = problems_of(
        BASE
        + """steps:
  - at: 2026-02-01T10:00:00
    cancel_addon: {ref: never_booked}
  - at: 2026-02-02T10:00:00
    teleport: {}
  - at: 2026-02-03 25:00
    book_addon: {addon: extra_user, quantity: 0}
"""
    )
    assert (
        problems[0]
        == "steps.0.cancel_addon.ref: no earlier book_addon step is named 'never_booked'"
    )
    assert problems[1].startswith("steps.1.teleport: unknown key")
    assert problems[2].startswith("steps.1: a step needs exactly one action")
    assert problems[3] == "steps.2.at: '2026-02-03 25:00' is not a time like 2026-02-03T10:00:00"
    assert problems[4] == "steps.2.book_addon.quantity: must be at least 1, not 0"


def test_steps_must_be_in_time_order() -> None:
    problems = problems_of(
        BASE
        + """steps:
  - at: 2026-02-03T10:00:00
    revoke_cancellation: {}
  - at: 2026-02-02T10:00:00
    revoke_cancellation: {}
"""
    )
    assert problems == ["steps.1.at: steps must be in time order; this one is before step 0"]


def test_a_step_before_the_start_is_refused() -> None:
    problems = problems_of(
        BASE + "steps:\n  - at: 2026-01-14T10:00:00\n    revoke_cancellation: {}\n"
    )
    assert problems == ["steps.0.at: the first step is before the contract starts on 2026-01-15"]


def test_customer_and_contract_are_checked() -> None:
    problems = problems_of(
        """
catalog: ../catalogs/cloudcrm.yaml
customer: {type: alien, name: X, country: DEU, email: nope, vat_id: DE1}
contract: {plan: gold, start: 2026-13-01}
"""
    )
    assert problems == [
        "customer.type: 'alien' is not one of business | consumer",
        "customer.country: 'DEU' is not a two-letter country code",
        "customer.vat_id: 'DE1' is not a valid EU VAT ID (the number has an invalid length)",
        "customer.email: 'nope' is not an e-mail address",
        "contract.start: '2026-13-01' is not a date like 2026-01-15",
        "contract.plan: unknown plan 'gold' (the catalog has business)",
    ]


def test_a_bad_catalog_reference_is_reported_under_catalog() -> None:
    problems = problems_of(BASE.replace("cloudcrm.yaml", "missing.yaml"))
    assert len(problems) == 1
    assert problems[0].startswith("catalog: ")
    assert "cannot read file" in problems[0]


def test_a_scenario_that_is_not_a_mapping() -> None:
    assert problems_of("just text") == ["(top): must be a mapping, not a string"]
