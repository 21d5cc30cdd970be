"""Arguments that several command groups share."""

from __future__ import annotations

from typing import Annotated

import typer

ContractId = Annotated[str, typer.Argument(help="Contract id (ctr_...).")]

#: Lists show live objects; ``--sandbox`` shows the sandbox ones (customers on a test clock).
Sandbox = Annotated[
    bool,
    typer.Option(
        "--sandbox", help="List sandbox objects (customers on a test clock) instead of live ones."
    ),
]
