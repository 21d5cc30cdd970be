"""The commands users type stay the same: the ``tenure`` command tree (groups, commands in help
order, their options and arguments) against ``cli_commands.json``.

After a deliberate change to the command line, regenerate the fixture and review its diff:
``PYTHONPATH=src python tests/entrypoints/test_cli_commands_stable.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer.main
from typer.core import TyperGroup

from tenure.entrypoints.cli import app

FIXTURE = Path(__file__).with_name("cli_commands.json")


def command_tree() -> dict[str, Any]:
    return _describe("tenure", typer.main.get_command(app))


def _describe(name: str, command: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "name": name,
        # "--demo/--no-demo" for a flag pair, like --help shows it.
        "options": [
            "/".join([*p.opts, *p.secondary_opts])
            for p in command.params
            if p.param_type_name == "option"
        ],
        "arguments": [
            {"name": p.name, "nargs": p.nargs, "required": p.required}
            for p in command.params
            if p.param_type_name == "argument"
        ],
    }
    if isinstance(command, TyperGroup):
        # In the order `--help` lists them.
        node["commands"] = [_describe(n, command.commands[n]) for n in command.commands]
    return node


def _paths(node: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    """Every command by its full name, for a readable failure."""
    path = f"{prefix} {node['name']}".strip()
    found = {path: {k: v for k, v in node.items() if k != "commands"}}
    for child in node.get("commands", []):
        found.update(_paths(child, path))
    return found


def test_the_command_tree_matches_the_fixture() -> None:
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    actual = command_tree()
    want, got = _paths(expected), _paths(actual)
    assert sorted(got.keys() - want.keys()) == [], "commands added"
    assert sorted(want.keys() - got.keys()) == [], "commands removed or renamed"
    for path in want:
        assert got[path] == want[path], f"options or arguments of `{path}` changed"
    assert actual == expected, "the order of the commands in --help changed"


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(command_tree(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE}")
