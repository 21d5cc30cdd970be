"""The ``tenure`` command line (Typer + Rich).

Exit codes: 0 success; 1 a check failed (a simulation did not match its expected result);
2 bad input (a malformed catalog or scenario, a missing file, bad options).
"""

from __future__ import annotations

import enum
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tenure import __version__
from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.yaml_source import InputError
from tenure.simulation.expect import differences
from tenure.simulation.runner import simulate
from tenure.simulation.scenario import load_scenario

app = typer.Typer(
    name="tenure",
    help="Subscription contracts and billing for SaaS vendors in Germany and the EU.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
catalog_app = typer.Typer(help="Work with catalog files.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")

# Rich assumes 80 columns when not on a terminal; tables then wrap badly in logs and CI.
out = Console(width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 120)


class StoreChoice(enum.StrEnum):
    sqlite = "sqlite"
    memory = "memory"


EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


def _fail_input(exc: InputError) -> typer.Exit:
    err.print(exc.report(), markup=False, highlight=False)
    return typer.Exit(EXIT_BAD_INPUT)


def expected_path(scenario: Path) -> Path:
    return scenario.with_name(scenario.name.removesuffix(".yaml") + ".expected.json")


@app.command("simulate")
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
        raise typer.Exit(EXIT_CHECK_FAILED)


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


@catalog_app.command("validate")
def catalog_validate(
    path: Annotated[Path, typer.Argument(help="Catalog file (YAML).")],
) -> None:
    """Check a catalog file and list every problem with its path."""
    try:
        catalog = load_catalog_file(path)
    except InputError as exc:
        raise _fail_input(exc) from None
    out.print(
        f"[green]{path}[/] is valid: {len(catalog.plans)} plan(s), "
        f"{len(catalog.addons)} add-on(s), {len(catalog.metrics)} metric(s), "
        f"seller {catalog.vendor.name} ({catalog.vendor.country}, "
        f"{catalog.vendor.currency}, {catalog.vendor.timezone})"
    )


@app.command("version")
def version() -> None:
    """Print the version."""
    out.print(f"tenure {__version__}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as exc:  # last line of defence: one line, no traceback
        if os.environ.get("TENURE_DEBUG"):
            raise
        err.print(
            f"internal error: {type(exc).__name__}: {exc} (set TENURE_DEBUG=1 for the traceback)",
            markup=False,
        )
        raise SystemExit(70) from None


if __name__ == "__main__":
    main()
