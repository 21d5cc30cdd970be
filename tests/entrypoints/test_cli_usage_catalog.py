"""Issue #15, points 9 and 10 on the command line (real processes, a real SQLite database, the
real clock): the reason a cancellation ends later, usage with its own instant and unit, and a
catalog load that is previewed and guarded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.entrypoints.test_cli_service import ROOT, Cli

CATALOGS = ROOT / "examples" / "catalogs"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "tenure.sqlite")
    cli.ok("init", "--catalog", str(CATALOGS / "redconnect.yaml"))
    return cli


def _contract(cli: Cli, plan: str = "plus") -> str:
    customer = cli.json(
        "customers", "create", "--name", "Praxis", "--email", "p@x.example", "--address", "Weg 1"
    )
    contract: str = cli.json("contracts", "start", "--customer", customer["id"], "--plan", plan)[
        "id"
    ]
    return contract


def test_a_cancellation_says_why_its_end_moved(cli: Cli) -> None:
    contract = _contract(cli)

    reply = cli.json("cancel", "create", contract, "--end", "2020-01-31")
    human = cli.ok("cancel", "quote", contract)  # the CLI still answers afterwards

    assert reply["requested_end"] == "2020-01-31"
    assert reply["adjusted_reason"] == "requested_end_in_past"
    assert reply["effective_end"] > "2020-01-31"
    assert contract in human


def test_usage_with_an_instant_and_a_unit(cli: Cli) -> None:
    contract = _contract(cli)
    record = cli.json(
        "usage", "record", contract, "--metric", "sms", "--quantity", "2", "--key", "k1"
    )
    assert record["occurred_at"].endswith("Z")

    early = cli.run(
        "usage", "record", contract, "--metric", "sms", "--quantity", "2", "--key", "k2",
        "--occurred-at", "2020-01-01T10:00",
    )  # fmt: skip
    half = cli.run(
        "--json", "usage", "record", contract, "--metric", "sms", "--quantity", "0.5",
        "--key", "k3",
    )  # fmt: skip

    assert early.returncode == 1
    assert "[usage_before_contract_start]" in early.stderr
    assert half.returncode == 2
    assert json.loads(half.stdout)["error"]["code"] == "fractional_quantity"


def test_catalog_load_previews_and_refuses_to_strand_contracts(cli: Cli, tmp_path: Path) -> None:
    contract = _contract(cli, "basis")
    renamed = tmp_path / "renamed.yaml"
    text = (CATALOGS / "redconnect.yaml").read_text(encoding="utf-8")
    renamed.write_text(text.replace("  basis:\n", "  basis2027:\n"), encoding="utf-8")

    preview = cli.ok("catalog", "load", str(renamed), "--dry-run")
    refused = cli.run("catalog", "load", str(renamed))
    stored = cli.json("catalog", "load", str(renamed), "--allow-grandfathering")

    assert "dry run: nothing loaded" in preview
    assert "removed plan basis: used by 1 contract(s)" in preview
    assert f"{contract} (basis) keeps its version: plan_removed" in preview
    assert refused.returncode == 1
    assert "[catalog_strands_contracts]" in refused.stderr
    assert (stored["version"], stored["impact"]["contracts_grandfathered"]) == (2, 1)
