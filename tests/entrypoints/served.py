"""A real ``tenure serve`` for the tests that use tenure as a vendor's operator would: started
in a fresh directory (its own SQLite file and demo vendor), ready when ``/ready`` answers, its
output kept (and read on, so its pipe never fills), stopped with SIGTERM."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.mailserver import free_port

ROOT = Path(__file__).resolve().parents[2]

__all__ = ["ROOT", "Served", "free_port", "tenure_serve"]


@dataclass
class Served:
    url: str
    key: str  # the demo API key it printed
    printed: list[str]  # its output so far


@contextmanager
def tenure_serve(directory: Path, env: Mapping[str, str] = {}) -> Iterator[Served]:
    """``tenure serve`` on a free loopback port in ``directory``, with ``env`` added."""
    port = free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    environment.pop("TENURE_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tenure.entrypoints.cli", "serve", "--port", str(port)],
        cwd=directory,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed: list[str] = []
    try:
        key = None
        assert process.stdout is not None
        for line in process.stdout:
            printed.append(line)
            if found := re.search(r"API key \(shown once\): (\S+)", line):
                key = found.group(1)
                break
        assert key, "tenure serve printed no API key:\n" + "".join(printed)
        threading.Thread(target=printed.extend, args=(process.stdout,), daemon=True).start()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "tenure serve did not get ready"
            time.sleep(0.2)
        yield Served(url, key, printed)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
