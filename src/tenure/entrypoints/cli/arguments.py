"""Arguments that several command groups share."""

from __future__ import annotations

from typing import Annotated

import typer

ContractId = Annotated[str, typer.Argument(help="Contract id (ctr_...).")]
