"""The ``tenure`` CLI on a real SQLite database, as an operator uses it: real processes, human
output and ``--json``, one-line errors with exit codes 1 (refused) and 2 (bad input)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLOUDCRM = ROOT / "examples" / "catalogs" / "cloudcrm.yaml"


class Cli:
    def __init__(self, db: Path) -> None:
        self.db = f"sqlite:///{db}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tenure.entrypoints.cli", "--db", self.db, *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
            timeout=120,
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok("--json", *args))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "tenure.sqlite")
    cli.ok("init", "--catalog", str(CLOUDCRM))
    return cli


def test_a_new_contract_is_billed_booked_and_cancelled_through_the_cli(cli: Cli) -> None:
    customer = cli.json(
        "customers",
        "create",
        "--name",
        "Muster GmbH",
        "--email",
        "billing@muster.example",
        "--vat-id",
        "DE129273398",
        "--address",
        "Musterweg 1, 10115 Berlin",
    )
    contract = cli.json("contracts", "start", "--customer", customer["id"], "--plan", "business")
    run = cli.json("bill", "run")
    assert run["documents"] == ["RE-2026-000001"] or run["documents"][0].startswith("RE-")

    booking = cli.json(
        "addons", "book", contract["id"], "--addon", "extra_user", "--quantity", "2"
    )["booking"]
    limits = cli.json("contracts", "entitlements", contract["id"])
    assert limits["users"] == 5  # 3 in the plan + 2 booked, at once

    withdrawn = cli.json("addons", "withdraw", contract["id"], booking)
    assert withdrawn["credit_notes"] == []  # nothing of it was invoiced yet
    cancellation = cli.json("cancel", "create", contract["id"])
    assert cancellation["status"] == "confirmed"
    assert cancellation["effective_end"]

    shown = cli.json("contracts", "show", contract["id"])
    assert shown["status"] == "cancellation_pending"
    assert [b["status"] for b in shown["addons"]] == ["withdrawn"]
    invoices = cli.json("invoices", "list")
    assert [i["gross_total"] for i in invoices] == ["58.31"]
    assert "RE-" in cli.ok("invoices", "show", invoices[0]["number"])
    actions = [e["action"] for e in cli.json("audit", "--entity", contract["id"])]
    assert actions[0] == "contract.created"
    assert len(actions) >= 4


def test_test_clocks_through_the_cli(cli: Cli) -> None:
    clock = cli.json("clock", "create", "--at", "2026-01-15T00:00", "--name", "demo")
    customer = cli.json(
        "customers",
        "create",
        "--name",
        "Sandbox GmbH",
        "--email",
        "s@kunde.example",
        "--address",
        "Sandweg 1, 10115 Berlin",
        "--test-clock",
        clock["id"],
    )
    contract = cli.json("contracts", "start", "--customer", customer["id"], "--plan", "business")
    assert contract["start"] == "2026-01-15"
    advanced = cli.json("clock", "advance", clock["id"], "--to", "2026-04-20T12:00")
    assert advanced["documents"] == [
        "TEST-RE-2026-000001",
        "TEST-RE-2026-000002",
        "TEST-RE-2026-000003",
        "TEST-RE-2026-000004",
    ]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("contracts", "show", "ctr_nope"), 2, "no contract 'ctr_nope' [unknown_contract]"),
        (
            ("contracts", "start", "--customer", "cus_nope", "--plan", "business"),
            2,
            "[unknown_customer]",
        ),
        (("bill", "run", "--until", "2026-02-30"), 2, "is not a date like 2026-03-31"),
        (
            ("customers", "create", "--name", "X", "--email", "x", "--address", "A"),
            2,
            "[invalid_email]",
        ),
        (
            (
                "customers",
                "create",
                "--name",
                "X",
                "--email",
                "x@y.z",
                "--vat-id",
                "DE1",
                "--address",
                "A",
            ),
            2,
            "[invalid_vat_id]",
        ),
        (("catalog", "load", "/no/such/file.yaml"), 2, "cannot read file"),
        (
            ("usage", "record", "ctr_x", "--metric", "sms", "--quantity", "Infinity", "--key", "k"),
            2,
            "[invalid_quantity]",
        ),
        (
            ("usage", "record", "ctr_x", "--metric", "sms", "--quantity", "NaN", "--key", "k"),
            2,
            "[invalid_quantity]",
        ),
        (("clock", "advance", "clk_nope", "--to", "2026-01-01T00:00"), 2, "[unknown_test_clock]"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    cli: Cli, args: tuple[str, ...], status: int, message: str
) -> None:
    result = cli.run(*args)
    assert result.returncode == status, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_refused_step_exits_1_with_its_code(cli: Cli) -> None:
    customer = cli.json(
        "customers", "create", "--name", "X", "--email", "x@kunde.example", "--address", "A"
    )
    contract = cli.json("contracts", "start", "--customer", customer["id"], "--plan", "business")
    result = cli.run("cancel", "revoke", contract["id"])
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "error: there is no cancellation to revoke [no_pending_cancellation]"
    )
    as_json = cli.run("--json", "cancel", "revoke", contract["id"])
    assert json.loads(as_json.stdout) == {
        "error": {
            "code": "no_pending_cancellation",
            "message": "there is no cancellation to revoke",
        }
    }


def test_db_upgrade_is_idempotent_and_reports_the_revision(cli: Cli) -> None:
    assert "0011" in cli.ok("db", "upgrade")
    assert cli.json("db", "current") == {"current": "0011", "head": "0011"}


def test_an_unknown_locale_is_a_usage_error(cli: Cli) -> None:
    result = cli.run("customers", "create", "--name", "X", "--email", "x@y.z", "--locale", "fr")
    assert result.returncode == 2
    assert "'fr' is not one of" in result.stderr


def test_customers_are_checked_updated_and_deleted_through_the_cli(cli: Cli) -> None:
    refused = cli.run("customers", "create", "--name", "X", "--email", "x@kunde.example")
    assert (refused.returncode, "[field_required]" in refused.stderr) == (2, True)
    wrong = cli.run(
        "customers", "create", "--name", "X", "--email", "x@k.example", "--address", "A",
        "--country", "FR", "--vat-id", "DE129273398",
    )  # fmt: skip
    assert (wrong.returncode, "[vat_id_country_mismatch]" in wrong.stderr) == (2, True)
    customer = cli.json(
        "customers", "create", "--name", "X", "--email", "x@k.example", "--address", "A",
        "--vat-id", "DE129273398",
    )  # fmt: skip

    updated = cli.json(
        "customers", "update", customer["id"], "--name", "X AG", "--address", "B", "--no-vat-id"
    )
    assert (updated["name"], updated["address"], updated["vat_id"]) == ("X AG", "B", None)
    assert cli.json("customers", "show", customer["id"])["name"] == "X AG"
    bad = cli.run("customers", "update", customer["id"], "--country", "ZZ")
    assert (bad.returncode, "[invalid_country]" in bad.stderr) == (2, True)
    audit = cli.json("audit", "--entity", customer["id"])
    assert [e["action"] for e in audit] == ["customer.updated"]

    cli.json("contracts", "start", "--customer", customer["id"], "--plan", "business")
    kept = cli.run("customers", "delete", customer["id"])
    assert (kept.returncode, "[customer_has_contracts]" in kept.stderr) == (1, True)
    other = cli.json(
        "customers", "create", "--name", "Y", "--email", "y@k.example", "--address", "C"
    )
    assert cli.json("customers", "delete", other["id"]) == {"id": other["id"], "deleted": True}
    assert [c["id"] for c in cli.json("customers", "list")] == [customer["id"]]


def test_bill_run_refuses_a_date_after_today_and_lists_are_live_unless_sandbox(cli: Cli) -> None:
    """Issue #15, point 3: a mistyped ``--until`` bills nothing ahead of time (exit 2, the
    documented code for bad input); point 1: lists show live objects unless ``--sandbox``."""
    from datetime import date, timedelta

    customer = cli.json(
        "customers", "create", "--name", "Live GmbH", "--email", "l@live.example", "--address", "A"
    )
    cli.json("contracts", "start", "--customer", customer["id"], "--plan", "business")
    future = (date.today() + timedelta(days=214)).isoformat()  # 2026-11-28 → 2027-06-30

    refused = cli.run("bill", "run", "--until", future)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "[billing_date_in_future]" in refused.stderr
    assert "after today" in refused.stderr
    as_json = json.loads(cli.run("--json", "bill", "run", "--until", future).stdout)
    assert as_json["error"]["code"] == "billing_date_in_future"
    assert cli.json("invoices", "list") == []

    issued = cli.json("bill", "run")["documents"]
    assert len(issued) == 1
    assert issued[0].startswith("RE-")
    assert [c["id"] for c in cli.json("customers", "list")] == [customer["id"]]
    assert cli.json("customers", "list", "--sandbox") == []
    assert [c["livemode"] for c in cli.json("contracts", "list")] == [True]
    assert cli.json("contracts", "list", "--sandbox") == []
    assert [i["livemode"] for i in cli.json("invoices", "list")] == [True]
    assert cli.json("invoices", "list", "--sandbox") == []
