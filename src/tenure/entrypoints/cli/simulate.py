"""``tenure simulate``: exit 0 ok, 1 an outcome did not match its expected result, 2 bad input."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from tenure.entrypoints.cli.common import EXIT_BAD_INPUT, EXIT_REFUSED, err, out

if TYPE_CHECKING:
    from tenure.adapters.yaml_source import InputError


class StoreChoice(enum.StrEnum):
    sqlite = "sqlite"
    memory = "memory"


def _fail_input(exc: InputError) -> typer.Exit:
    err.print(exc.report(), markup=False, highlight=False)
    return typer.Exit(EXIT_BAD_INPUT)


def expected_path(scenario: Path) -> Path:
    return scenario.with_name(scenario.name.removesuffix(".yaml") + ".expected.json")


def simulate_command(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files (YAML).")],
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Compare each outcome with its SCENARIO.expected.json and report."
        ),
    ] = False,
    expect: Annotated[
        Path | None,
        typer.Option(help="Compare the outcome of one scenario with this expected-result file."),
    ] = None,
    store: Annotated[
        StoreChoice,
        typer.Option(
            help="Where the simulation keeps its state: a throw-away SQLite database (the "
            "storage production uses) or memory (faster)."
        ),
    ] = StoreChoice.sqlite,
) -> None:
    """Play a contract through time on a test clock and print the outcome as JSON.

    With several scenarios, or with --check, prints one entry per scenario.
    """
    from tenure.adapters.yaml_source import InputError
    from tenure.simulation.expect import differences
    from tenure.simulation.runner import simulate
    from tenure.simulation.scenario import load_scenario

    if expect is not None and len(scenarios) != 1:
        err.print("--expect takes exactly one scenario")
        raise typer.Exit(EXIT_BAD_INPUT)
    results: list[tuple[Path, dict[str, Any], list[str] | None]] = []
    for path in scenarios:
        try:
            outcome = simulate(load_scenario(path), store.value).to_json()
        except InputError as exc:
            raise _fail_input(exc) from None
        problems = None
        target = expect or (expected_path(path) if check else None)
        if target is not None:
            try:
                problems = differences(json.loads(target.read_text(encoding="utf-8")), outcome)
            except (OSError, json.JSONDecodeError) as exc:
                err.print(f"{target}: cannot read expected result: {exc}")
                raise typer.Exit(EXIT_BAD_INPUT) from None
        results.append((path, outcome, problems))

    if check:
        _report(results)
    elif len(results) == 1:
        sys.stdout.write(json.dumps(results[0][1], indent=2, ensure_ascii=False) + "\n")
        if results[0][2]:
            for problem in results[0][2]:
                err.print(f"mismatch: {problem}", markup=False)
    else:
        sys.stdout.write(
            json.dumps(
                [{"scenario": str(p), "outcome": o} for p, o, _ in results],
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if any(problems for _, _, problems in results):
        raise typer.Exit(EXIT_REFUSED)


def _report(results: list[tuple[Path, dict[str, Any], list[str] | None]]) -> None:
    table = Table(title="tenure simulate --check")
    for column in ("scenario", "result", "invoices", "rejected", "contract"):
        table.add_column(column)
    for path, outcome, problems in results:
        verdict = (
            "[green]matches[/]"
            if problems == []
            else "[yellow]no expected file[/]"
            if problems is None
            else f"[red]{len(problems)} mismatch(es)[/]"
        )
        contract = outcome["contract"]
        table.add_row(
            path.name,
            verdict,
            str(len(outcome["invoices"])),
            str(len(outcome["rejected"])),
            f"{contract['plan']} · {contract['status']}"
            + (f" → {contract['end_date']}" if contract["end_date"] else ""),
        )
    out.print(table)
    for path, _, problems in results:
        for problem in problems or []:
            err.print(f"{path.name}: {problem}", markup=False)
    if any(problems is None for _, _, problems in results):
        err.print("some scenarios have no .expected.json to compare with")
