"""Start-up time of the ``tenure`` command, process by process, as a user feels it.

    make bench-cli                                   # median of 7 runs each
    python bench/cli_startup.py 15                   # median of 15
    python bench/cli_startup.py 7 ../other-checkout  # beside another checkout's src/

Measures whole processes (interpreter start, imports, the command's work, exit) with the
baselines of the same run: ``python -c pass`` (the interpreter alone), ``python -c "import
typer"`` and a one-option Typer command run (the CLI framework alone; running a command makes
Typer import pydantic), so that a busy machine shows as slow baselines, not as a slow tenure. The
commands: ``tenure --help``, ``tenure invoices --help``, ``tenure invoices list`` and ``tenure
--json invoices list`` on a small SQLite database (one vendor, three customers with a contract
each, billed once) created in a temporary directory first. Targets (issue 15): ``--help`` under
0.3 s, a simple read under 0.5 s. With another checkout given, its tenure commands are measured
too, on a database of its own seeded the same way (e.g. main before a change).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "examples" / "catalogs" / "cloudcrm.yaml"
TENURE = [sys.executable, "-m", "tenure.entrypoints.cli"]
TARGETS = {"tenure --help": 0.3, "tenure invoices list": 0.5, "tenure --json invoices list": 0.5}
TYPER_COMMAND = (
    "import typer\napp = typer.Typer()\n@app.command()\ndef hello(name: str = 'x') -> None:\n"
    "    print(name)\napp()"
)


def seconds(argv: list[str], env: dict[str, str], runs: int) -> float:
    """The median wall time of ``runs`` runs of ``argv`` (after one warm-up run)."""
    times = []
    for run in range(runs + 1):
        began = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        if run:  # the first run warms the file system cache and the .pyc files
            times.append(time.perf_counter() - began)
    return statistics.median(times)


def seed(env: dict[str, str]) -> None:
    def tenure(*args: str) -> str:
        done = subprocess.run([*TENURE, "--json", *args], env=env, check=True, capture_output=True)
        return done.stdout.decode()

    import json

    tenure("init", "--catalog", str(CATALOG))
    for number in range(3):
        customer = json.loads(
            tenure(
                "customers",
                "create",
                "--name",
                f"K{number}",
                "--email",
                f"k{number}@x.example",
                "--address",
                "Weg 1, 10115 Berlin",
            )
        )
        tenure("contracts", "start", "--customer", customer["id"], "--plan", "business")
    tenure("bill", "run")


def main(runs: int, other: Path | None) -> None:
    with tempfile.TemporaryDirectory() as directory:
        env = {
            **os.environ,
            "TENURE_DATABASE_URL": f"sqlite:///{Path(directory) / 'tenure.sqlite'}",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
            ),
        }
        seed(env)
        if other is not None:  # its own database: its migrations may differ from ours
            theirs = {
                **env,
                "PYTHONPATH": str(other.resolve() / "src"),
                "TENURE_DATABASE_URL": f"sqlite:///{Path(directory) / 'other.sqlite'}",
            }
            seed(theirs)
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            'python -c "import typer"': [sys.executable, "-c", "import typer"],
            "a one-option Typer command": [sys.executable, "-c", TYPER_COMMAND],
            "tenure --help": [*TENURE, "--help"],
            "tenure invoices --help": [*TENURE, "invoices", "--help"],
            "tenure invoices list": [*TENURE, "invoices", "list"],
            "tenure --json invoices list": [*TENURE, "--json", "invoices", "list"],
        }
        print(f"median of {runs} runs per command ({sys.executable})")
        for name, argv in cases.items():
            median = seconds(argv, env, runs)
            target = TARGETS.get(name)
            verdict = (
                ""
                if target is None
                else f"  target < {target:.1f} s: " + ("met" if median < target else "MISSED")
            )
            print(f"{name:32} {median:6.3f} s{verdict}")
            if other is not None and name.startswith("tenure"):
                print(f"{'  ' + str(other):32} {seconds(argv, theirs, runs):6.3f} s")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 7,
        Path(sys.argv[2]) if len(sys.argv) > 2 else None,
    )
