"""Documents and number series in memory, indexed by contract so that billing one contract
never scans the others' documents."""

from __future__ import annotations

import builtins
from datetime import datetime

from tenure.adapters.memory.overlay import Overlay
from tenure.adapters.memory.tables import MISSING
from tenure.domain.invoicing import Document, DocumentType
from tenure.services.errors import UnknownDocument
from tenure.services.repositories.documents import DocumentRepository


class MemoryDocuments(DocumentRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def add(self, vendor_id: str, document: Document, issued_at: datetime) -> None:
        if self._t.get_for_update("documents", (vendor_id, document.number)) is not MISSING:
            self._t.validate()  # a concurrent commit took it: run the use case again
            raise ValueError(f"document number {document.number} is taken")
        draft = document.draft
        index = (vendor_id, draft.contract_id)
        numbers = self._t.get_for_update("contract_documents", index)
        numbers = () if numbers is MISSING else numbers
        if draft.billing_date is not None and any(
            self._t.get("documents", (vendor_id, n)).draft.billing_date == draft.billing_date
            for n in numbers
        ):
            self._t.validate()  # a concurrent run billed the day: run the use case again
            raise ValueError(
                f"contract {draft.contract_id} is already billed for {draft.billing_date}"
            )
        self._t.put("documents", (vendor_id, document.number), document)
        self._t.put("contract_documents", index, (*numbers, document.number))

    def list(
        self, vendor_id: str, contract_id: str | None = None, livemode: bool | None = None
    ) -> builtins.list[Document]:
        if contract_id is None:
            found = [d for (vendor, _), d in self._t.scan("documents") if vendor == vendor_id]
        else:
            numbers = self._t.get("contract_documents", (vendor_id, contract_id), ())
            found = [self._t.get("documents", (vendor_id, n)) for n in numbers]
        return [d for d in found if livemode in (None, d.livemode)]

    def get(self, vendor_id: str, number: str) -> Document:
        document = self._t.get("documents", (vendor_id, number), MISSING)
        if document is MISSING:
            raise UnknownDocument(f"no invoice or credit note {number!r}")
        return document  # type: ignore[no-any-return]

    def last_invoice_number(self, vendor_id: str, contract_id: str) -> str | None:
        numbers = self._t.get("contract_documents", (vendor_id, contract_id), ())
        for number in reversed(numbers):
            if self._t.get("documents", (vendor_id, number)).type is DocumentType.INVOICE:
                return str(number)
        return None

    def next_number(self, vendor_id: str, prefix: str, year: int) -> int:
        # Read for update: two transactions taking the same number cannot both commit.
        key = (vendor_id, prefix, year)
        last = self._t.get_for_update("series", key)
        number = 1 if last is MISSING else int(last) + 1
        self._t.put("series", key, number)
        return number
