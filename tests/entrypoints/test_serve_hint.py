"""Issue 15, point 16: on a restart ``tenure serve`` prints a command that creates an API key and
works as printed: whatever the PATH and the directory, with two vendors in the database."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

from tenure.entrypoints.serve import DEMO_CATALOG, DEMO_VENDOR, key_command

ROOT = Path(__file__).resolve().parents[2]
CLOUDCRM = ROOT / "examples" / "catalogs" / "cloudcrm.yaml"


def environment() -> dict[str, str]:
    paths = [str(ROOT / "src"), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {k: v for k, v in os.environ.items() if k != "TENURE_DATABASE_URL"}
    return {**env, "PYTHONPATH": os.pathsep.join(str(Path(p).resolve()) for p in paths)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=environment(), capture_output=True, text=True, timeout=120, check=False
    )


def test_the_restart_hint_is_a_command_that_works_as_printed(tmp_path: Path) -> None:
    served, elsewhere = tmp_path / "served", tmp_path / "elsewhere"
    served.mkdir()
    elsewhere.mkdir()
    tenure = [sys.executable, "-m", "tenure.entrypoints.cli", "--db", "sqlite:///tenure.sqlite"]
    # The demo vendor exists (a restart), and a second vendor beside it.
    for vendor, catalog in ((DEMO_VENDOR, DEMO_CATALOG), ("other", CLOUDCRM)):
        done = run([*tenure, "init", "--catalog", str(catalog), "--vendor", vendor], served)
        assert done.returncode == 0, done.stderr

    server = subprocess.Popen(
        [*tenure, "serve", "--port", str(free_port())],
        cwd=served,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = iter(server.stdout.readline, "")
        for line in lines:
            if "create a key with:" in line:
                printed = next(lines).strip()
                break
        else:
            raise AssertionError("no restart hint")
    finally:
        server.terminate()
        server.wait(timeout=30)

    # On main: "create a key: tenure keys create", not on PATH, and refused with two vendors.
    created = run(shlex.split(printed), elsewhere)  # another directory, no PATH lookup
    assert created.returncode == 0, created.stdout + created.stderr
    assert "tenure_sk_" in created.stdout
    listed = run([*tenure, "--vendor", DEMO_VENDOR, "keys", "list", "--json"], served)
    assert created.stdout.split()[2] in listed.stdout  # "API key <id> (full): <secret>"


def test_the_hint_names_the_console_script_by_its_absolute_path(tmp_path: Path) -> None:
    script = tmp_path / "bin" / "tenure"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    relative = os.path.relpath(script)  # `make run` starts .venv/bin/tenure
    printed = key_command("sqlite:///tenure.sqlite", "demo", argv0=relative)
    assert shlex.split(printed) == [
        str(script.resolve()),
        "--db",
        f"sqlite:///{Path('tenure.sqlite').resolve()}",
        "--vendor",
        "demo",
        "keys",
        "create",
    ]
