"""Invoices and credit notes, and the gap-free number series they are numbered from."""

from __future__ import annotations

import abc
import builtins
from datetime import date, datetime

from tenure.domain.invoicing import Document, DocumentType
from tenure.services.paging import Page, offset_page


class DocumentRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, vendor_id: str, document: Document, issued_at: datetime) -> None:
        """Store an issued document. Documents never change once stored; a number that is taken
        or a second document for the same contract and billing date is refused (the guard
        against billing a day twice)."""

    @abc.abstractmethod
    def list(
        self, vendor_id: str, contract_id: str | None = None, livemode: bool | None = None
    ) -> builtins.list[Document]:
        """The vendor's (or one contract's) documents in issue order; ``livemode`` True: only
        live documents, False: only sandbox ones (of customers on a test clock), None: both.

        An accounting export reads ``livemode=True`` only: sandbox documents are test data in
        series of their own (``TEST-…``) and are never exported."""

    @abc.abstractmethod
    def get(self, vendor_id: str, number: str) -> Document:
        """One document by its number; :class:`~tenure.services.errors.UnknownDocument` if the
        vendor has none of that number."""

    @abc.abstractmethod
    def last_invoice_number(self, vendor_id: str, contract_id: str) -> str | None:
        """The number of the contract's newest invoice (in issue order), found without loading
        its other documents; None before its first invoice."""

    @abc.abstractmethod
    def next_number(self, vendor_id: str, prefix: str, year: int) -> int:
        """The next number of a gap-free series (taken only if the transaction commits)."""

    def page(
        self,
        vendor_id: str,
        after: str | None,
        limit: int,
        contract_id: str | None = None,
        type: DocumentType | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
        livemode: bool | None = None,
    ) -> Page[Document]:
        """Invoices and credit notes in issue order, ``livemode`` as in :meth:`list` (in memory
        by offset; the SQL store pages by key)."""
        documents = [
            d
            for d in self.list(vendor_id, contract_id, livemode)
            if type in (None, d.type)
            and (issued_from is None or d.issue_date >= issued_from)
            and (issued_to is None or d.issue_date <= issued_to)
        ]
        return offset_page(documents, after, limit)
