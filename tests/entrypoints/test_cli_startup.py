"""Issue 15, point 15: the command line starts without the database machinery. ``--help`` and
the command modules import no SQLAlchemy, Alembic or FastAPI, and opening an up-to-date database
checks its schema with one query instead of running Alembic. (Timings: ``make bench-cli``.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# (Not pydantic: Typer itself uses it to convert the options of a command.)
HEAVY = ("sqlalchemy", "alembic", "fastapi", "uvicorn", "starlette", "yaml")

# Runs the CLI in-process with the given arguments, then prints the heavy modules it imported.
PROBE = """
import json, sys
from tenure.entrypoints.cli import main
heavy = json.loads(sys.argv[2])
sys.argv = ["tenure", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print("\\nIMPORTED " + json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


def imported_by(*args: str, cwd: Path = ROOT) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
        timeout=120,
    )
    marker = result.stdout.rsplit("IMPORTED ", 1)[1]
    found: list[str] = json.loads(marker)
    return found


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("invoices", "--help"),
        ("invoices", "list", "--help"),
        ("keys", "list", "--help"),
        ("version",),
    ],
)
def test_help_imports_no_database_or_web_framework(args: tuple[str, ...]) -> None:
    # On main `tenure --help` imported SQLAlchemy, Alembic and YAML (~1 s).
    assert imported_by(*args) == []


def test_importing_every_command_module_imports_no_sqlalchemy_alembic_or_fastapi() -> None:
    code = (
        "import sys, pkgutil, importlib, tenure.entrypoints.cli as cli\n"
        "for m in pkgutil.iter_modules(cli.__path__):\n"
        "    if m.name != '__main__':\n"
        "        importlib.import_module(f'tenure.entrypoints.cli.{m.name}')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy','alembic','fastapi'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]", result.stdout


def test_a_read_on_an_up_to_date_database_runs_no_alembic(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tenure.sqlite'}"
    catalog = str(ROOT / "examples" / "catalogs" / "cloudcrm.yaml")
    # Creating the database migrates it: Alembic runs then.
    assert "alembic" in imported_by("--db", db, "init", "--catalog", catalog)
    # On main every command imported and ran Alembic to check the schema (~0.5 s).
    assert "alembic" not in imported_by("--db", db, "invoices", "list")
    assert "alembic" not in imported_by("--db", db, "--json", "db", "current")
