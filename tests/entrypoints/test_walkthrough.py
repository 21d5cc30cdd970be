"""The curl walkthrough of docs/api.md works as printed (issue #15, point 13): a real
``tenure serve`` on a free loopback port, in a fresh directory (its own SQLite file, the demo
vendor and the key it prints), and the documented commands run by bash and curl in their order.
Only the placeholders are filled in (``cus_…`` and the like from the previous answers, the
port of the server and of the receiver, this checkout's Python); every curl must get a 2xx
(``fail-with-body`` in a ``.curlrc``), a ``# users: 3`` note must hold, and the webhook receiver
must print what the walkthrough's ``# receiver:`` note says (the event, its signature
verified)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.entrypoints.served import ROOT, free_port, tenure_serve

DOC = ROOT / "docs" / "api.md"
PLACEHOLDER = re.compile(r"\b(cus|ctr|we|whsec)_…|\b(RE)-…")
CREATED_ID = re.compile(r'"(?:id|secret)":"((cus|ctr|we|whsec)_[A-Za-z0-9+/=]+|(RE)-\d{4}-\d{6})"')
NOTE = re.compile(r"#\s*(\w+):\s*(\d+)\s*$")


def walkthrough() -> list[str]:
    """The commands of the walkthrough's ```bash block, continuation lines joined."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Walkthrough with curl", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block, "docs/api.md: the walkthrough is no ```bash block"
    commands, current = [], ""
    for line in block.group(1).splitlines():
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip() and not current.lstrip().startswith("#"):
            commands.append(current.strip())
        current = ""
    return commands


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A fresh ``tenure serve`` in ``tmp_path``: its URL and the demo key it printed; webhooks
    may go to loopback, as with `make run` (the receiver runs there)."""
    with tenure_serve(tmp_path, {"TENURE_WEBHOOK_ALLOW_PRIVATE": "1"}) as served:
        yield served.url, served.key


def test_the_walkthrough_runs_as_documented(server: tuple[str, str], tmp_path: Path) -> None:
    url, key = server
    (tmp_path / ".curlrc").write_text("fail-with-body\nmax-time = 30\n", encoding="utf-8")
    env = {**os.environ, "K": key, "U": url, "CURL_HOME": str(tmp_path)}
    receiver_port = str(free_port())
    seen: dict[str, str] = {}
    receivers: list[subprocess.Popen[bytes]] = []
    log = tmp_path / "receiver.log"
    commands = walkthrough()
    assert any(c.startswith("curl") for c in commands)
    try:
        for command in commands:
            if command.startswith("make run") or re.match(r"^[A-Z]=\S+", command):
                continue  # the server is running; K and U are set
            filled = PLACEHOLDER.sub(lambda m: seen[m.group(1) or m.group(2)], command)
            filled = filled.replace("examples/", f"{ROOT}/examples/")
            filled = filled.replace("8901", receiver_port)
            filled = filled.replace(".venv/bin/python", sys.executable).split(" #")[0].rstrip()
            if filled.endswith("&"):  # the receiver, in the background
                receivers.append(_background(filled.rstrip(" &"), env, log))
                time.sleep(1)
                continue
            done = subprocess.run(
                ["bash", "-c", filled],
                cwd=tmp_path,  # files the walkthrough saves (invoice.pdf) land here
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
            if note := NOTE.search(command):
                assert f'"{note.group(1)}":{note.group(2)}' in done.stdout, (command, done.stdout)
            for value, kind, invoice in CREATED_ID.findall(done.stdout):
                seen.setdefault(kind or invoice, value)  # the first of each kind is used
        assert receivers, "the walkthrough starts no webhook receiver"
        assert (tmp_path / "invoice.pdf").read_bytes().startswith(b"%PDF-")
        assert b"urn:oasis:names:specification:ubl" in (tmp_path / "invoice.ubl.xml").read_bytes()
        printed = re.search(r'# receiver: "([^"]+)"', DOC.read_text(encoding="utf-8"))
        assert printed, "docs/api.md: no note of what the receiver prints"
        words = printed.group(1).split()
        _wait_for(log, words[0], words[-1])  # the event type and the verdict
    finally:
        for receiver in receivers:
            receiver.terminate()
            receiver.wait(timeout=10)


def _background(command: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=ROOT,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _wait_for(log: Path, *words: str, seconds: float = 20) -> None:
    """Wait until ``log`` has a line with all ``words``, for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        if any(all(w in line for w in words) for line in lines):
            return
        time.sleep(0.2)
    pytest.fail(f"the receiver printed no {' … '.join(words)}: {log.read_text()!r}")
