"""Issue 15, point 14: the shared options before or after the command, one JSON document per
call, tables that never cut an id or an amount, ``keys list``, and the exit codes of the README
(real processes on a real SQLite database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tenure.entrypoints.cli import command
from tenure.entrypoints.cli.common import EXIT_CODES
from tenure.entrypoints.cli.shared import SETTERS

ROOT = Path(__file__).resolve().parents[2]
CLOUDCRM = ROOT / "examples" / "catalogs" / "cloudcrm.yaml"


def tenure(*args: str, columns: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "TENURE_DATABASE_URL")}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "tenure.entrypoints.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )


def ok(*args: str, columns: int | None = None) -> str:
    result = tenure(*args, columns=columns)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two vendors (so --vendor is needed), a customer with a long name, a contract, an invoice
    and two API keys (one revoked)."""
    db = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'tenure.sqlite'}"
    ok("--db", db, "init", "--catalog", str(CLOUDCRM))
    ok("--db", db, "init", "--catalog", str(CLOUDCRM), "--vendor", "other")
    base = ("--db", db, "--vendor", "default", "--json")
    customer = json.loads(
        ok(
            *base,
            "customers",
            "create",
            "--name",
            "Muster GmbH & Co. KG",
            "--email",
            "a@b.de",
            "--address",
            "Weg 1, 10115 Berlin",
        )
    )
    contract = json.loads(
        ok(*base, "contracts", "start", "--customer", customer["id"], "--plan", "business")
    )
    invoice = json.loads(ok(*base, "bill", "run"))["documents"][0]
    keys = [json.loads(ok(*base, "keys", "create", "--name", n)) for n in ("ci", "old")]
    ok(*base, "keys", "revoke", keys[1]["id"])
    return {
        "db": db,
        "customer": customer["id"],
        "contract": contract["id"],
        "invoice": invoice,
        "keys": keys,
    }


@pytest.mark.parametrize(
    "order",
    [
        ("--db", "{db}", "--vendor", "default", "--json", "invoices", "list"),
        ("invoices", "list", "--db", "{db}", "--vendor", "default", "--json"),
        ("--json", "invoices", "list", "--db", "{db}", "--vendor", "default"),
        ("--db", "{db}", "invoices", "--vendor", "default", "list", "--json"),
    ],
)
def test_the_shared_options_work_before_and_after_the_command(
    world: dict[str, Any], order: tuple[str, ...]
) -> None:
    listed = json.loads(ok(*(arg.format(**world) for arg in order)))
    assert [d["number"] for d in listed] == [world["invoice"]]


def test_every_command_takes_the_shared_options_after_its_name() -> None:
    def walk(cmd: Any, path: str) -> dict[str, set[str]]:
        found = {path: {str(p.name) for p in cmd.params}}
        for name, child in getattr(cmd, "commands", {}).items():
            found.update(walk(child, f"{path} {name}"))
        return found

    tree = walk(command(), "tenure")
    for path, params in tree.items():
        assert set(SETTERS) <= params, f"`{path}` lacks a shared option"


def test_init_keeps_its_own_vendor_option(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 't.sqlite'}"
    created = json.loads(
        ok("init", "--catalog", str(CLOUDCRM), "--vendor", "acme", "--db", db, "--json")
    )
    assert created["vendor"] == "acme"


def test_invoices_show_prints_one_json_document_with_its_lines(world: dict[str, Any]) -> None:
    # On main `--json invoices show` printed the document and then its lines: two documents.
    out = ok(
        "--json", "invoices", "show", world["invoice"], "--db", world["db"], "--vendor", "default"
    )
    shown = json.loads(out)  # one document, or this raises
    assert shown["number"] == world["invoice"]
    assert shown["lines"][0]["net"] == "49.00"


def test_catalog_show_prints_one_json_document(world: dict[str, Any]) -> None:
    shown = json.loads(ok("catalog", "show", "--json", "--db", world["db"], "--vendor", "other"))
    assert [p["plan"] for p in shown["plans"]] == ["business"]
    assert {a["addon"] for a in shown["addons"]} == {"extra_user", "extra_storage"}


@pytest.mark.parametrize(
    ("columns", "args", "wanted"),
    [
        (60, ("customers", "list"), ("customer",)),
        (60, ("contracts", "list"), ("contract", "customer")),
        (60, ("invoices", "list"), ("invoice", "contract", "58.31", "49.00", "9.31")),
        (40, ("invoices", "list"), ("invoice", "contract", "58.31", "49.00", "9.31")),
        (60, ("invoices", "show", "{invoice}"), ("invoice", "contract", "58.31", "plan:business")),
        (60, ("customers", "show", "{customer}"), ("customer", "contract")),
        (60, ("keys", "list"), ()),
    ],
)
def test_tables_never_cut_an_id_or_an_amount_on_a_narrow_terminal(
    world: dict[str, Any], columns: int, args: tuple[str, ...], wanted: tuple[str, ...]
) -> None:
    out = ok(
        *(a.format(**world) for a in args),
        "--db",
        world["db"],
        "--vendor",
        "default",
        columns=columns,
    )
    words = set(out.replace("│", " ").replace("┃", " ").split())
    for value in wanted:
        assert world.get(value, value) in words, f"{value} cut in:\n{out}"
    assert "…" not in out
    if args == ("keys", "list"):
        assert {k["id"] for k in world["keys"]} <= words


def test_keys_list_shows_ids_and_dates_never_a_secret(world: dict[str, Any]) -> None:
    listed = json.loads(ok("keys", "list", "--json", "--db", world["db"], "--vendor", "default"))
    assert [(k["id"], k["name"], k["scope"]) for k in listed] == [
        (key["id"], name, "full") for key, name in zip(world["keys"], ("ci", "old"), strict=True)
    ]
    assert listed[0]["revoked_at"] is None
    assert listed[1]["revoked_at"] is not None
    assert listed[0]["created_at"].endswith("Z")
    human = ok("keys", "list", "--db", world["db"], "--vendor", "default")
    for key in world["keys"]:
        assert key["secret"] not in human + json.dumps(listed)
    assert "tenure_sk" not in human
    other = json.loads(ok("keys", "list", "--json", "--db", world["db"], "--vendor", "other"))
    assert other == []


@pytest.mark.parametrize(
    "args",
    [
        ("addons", "book", "{contract}", "--addon", "extra_user", "--quantity", "-1"),
        ("addons", "book", "{contract}", "--addon", "extra_user", "--quantity", "0"),
        ("contracts", "change-plan", "{contract}", "--plan", "business", "--seats", "0"),
    ],
)
def test_a_value_no_rule_accepts_is_bad_input_exit_2(
    world: dict[str, Any], args: tuple[str, ...]
) -> None:
    # On main these exited 1, the status of a rule's refusal.
    result = tenure(*(a.format(**world) for a in args), "--db", world["db"], "--vendor", "default")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "[invalid_quantity]" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("url", "args"),
    [
        ("sqlite:////nonexistent-dir/tenure.sqlite", ("invoices", "list")),
        ("sqlite:////nonexistent-dir/tenure.sqlite", ("db", "current")),
        ("postgresql://tenure@127.0.0.1:1/tenure", ("invoices", "list")),
        ("postgresql://tenure@127.0.0.1:1/tenure", ("db", "upgrade")),
    ],
)
def test_an_unreachable_database_is_one_line_and_exit_69(url: str, args: tuple[str, ...]) -> None:
    # On main: exit 70 and "internal error: OperationalError: (sqlite3.OperationalError) ...".
    result = tenure(*args, "--db", url)
    assert result.returncode == 69, result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: the database is unavailable: ")
    assert line.endswith("[database_unavailable]")
    assert "Traceback" not in result.stderr
    as_json = tenure("--json", *args, "--db", url)
    assert as_json.returncode == 69
    assert json.loads(as_json.stdout)["error"]["code"] == "database_unavailable"


def test_the_readme_documents_every_exit_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for status in EXIT_CODES:
        assert f"| `{status}` |" in readme, f"exit code {status} is not in the README's table"


def test_the_app_can_be_invoked_twice_in_one_process_with_json(world: dict[str, Any]) -> None:
    from typer.testing import CliRunner

    from tenure.entrypoints.cli import app

    args = ["--db", world["db"], "--vendor", "default", "--json", "keys", "list"]
    for _ in range(2):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.output)) == 2
