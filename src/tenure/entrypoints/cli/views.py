"""Rows for the CLI's tables: the shared presenters (:mod:`tenure.entrypoints.presenters`)."""

from tenure.entrypoints.presenters import (
    contract_dict as contract_detail,
)
from tenure.entrypoints.presenters import (
    contract_summary as contract_row,
)
from tenure.entrypoints.presenters import (
    customer_dict as customer_row,
)
from tenure.entrypoints.presenters import (
    document_dict as document_detail,
)
from tenure.entrypoints.presenters import (
    document_summary as document_row,
)

__all__ = ["contract_detail", "contract_row", "customer_row", "document_detail", "document_row"]
