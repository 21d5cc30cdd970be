"""`tenure contracts withdraw`: the withdrawal from the whole contract from the CLI."""

from __future__ import annotations

from tests.entrypoints.test_cli_service import Cli, cli  # noqa: F401 (fixture)


def test_a_contract_is_withdrawn_and_a_second_time_refused(cli: Cli) -> None:  # noqa: F811
    customer = cli.json(
        "customers",
        "create",
        "--name",
        "Erika Mustermann",
        "--email",
        "erika@mustermann.example",
        "--consumer",
        "--address",
        "Heidestraße 17, 51147 Köln",
    )
    contract = cli.json("contracts", "start", "--customer", customer["id"], "--plan", "business")
    cli.ok("bill", "run")
    withdrawn = cli.json("contracts", "withdraw", contract["id"])
    assert withdrawn["status"] == "withdrawn"
    (credit_note,) = withdrawn["credit_notes"]
    assert credit_note.startswith("KR-")
    assert cli.json("contracts", "show", contract["id"])["status"] == "withdrawn"
    again = cli.run("contracts", "withdraw", contract["id"])
    assert again.returncode == 1
    assert "[contract_ended]" in again.stderr
