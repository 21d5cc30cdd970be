"""The options every command shares (``--db``, ``--vendor``, ``--json``), accepted before the
command (``tenure --json invoices list``) and after it (``tenure invoices list --json``).

Command modules declare nothing for them: :func:`add_shared_options` gives every group and
command of the tree the options it does not define itself (``init`` keeps its own ``--vendor``,
the id of the vendor it creates), and each of them writes into :data:`OPTIONS` when given.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Annotated, Any

import typer
import typer.main
from typer import _click as click  # Typer's own copy of Click: its commands are made of these
from typer.core import TyperGroup

from tenure.entrypoints.cli.common import OPTIONS

PANEL = "Shared options (also before the command)"

DbOption = Annotated[
    str | None,
    typer.Option(
        help="Database URL (default: TENURE_DATABASE_URL, else sqlite:///tenure.sqlite).",
        rich_help_panel=PANEL,
    ),
]
VendorOption = Annotated[
    str | None,
    typer.Option(
        help="Vendor to act for (default: TENURE_VENDOR, else the only one).",
        rich_help_panel=PANEL,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Machine-readable output.", rich_help_panel=PANEL)
]


def _declared(db: DbOption = None, vendor: VendorOption = None, json: JsonOption = False) -> None:
    """Only here to have Typer build the three options once."""


def _set_db(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        OPTIONS.db = value


def _set_vendor(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        OPTIONS.vendor = value


def _set_json(_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        OPTIONS.json = True


SETTERS: dict[str, Callable[[click.Context, click.Parameter, Any], None]] = {
    "db": _set_db,
    "vendor": _set_vendor,
    "json": _set_json,
}


def _shared_params() -> list[click.Parameter]:
    holder = typer.Typer(add_completion=False)
    holder.command()(_declared)
    return list(typer.main.get_command(holder).params)


def add_shared_options(root: click.Command) -> click.Command:
    """Give every command below ``root`` the shared options it does not define itself."""
    templates = _shared_params()
    for command in _below(root):
        taken = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}
        names = {p.name for p in command.params}
        for template in templates:
            if template.name in names or taken.intersection(template.opts):
                continue
            param = copy.copy(template)
            param.expose_value = False
            param.callback = SETTERS[str(template.name)]
            command.params.append(param)
    return root


def _below(command: click.Command) -> list[click.Command]:
    if not isinstance(command, TyperGroup):
        return []
    found: list[click.Command] = []
    for child in command.commands.values():
        found += [child, *_below(child)]
    return found
