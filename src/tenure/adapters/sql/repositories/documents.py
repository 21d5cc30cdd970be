"""Documents and their gap-free number series in SQL."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, insert, not_, select

from tenure.adapters.sql import codec, paging
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.codec import period_or_none
from tenure.adapters.sql.repositories.customers import sandbox_customers
from tenure.adapters.sql.session import Session
from tenure.domain.charges import LineKind
from tenure.domain.invoicing import Document, DocumentDraft, DocumentLine, DocumentType
from tenure.domain.money import Money
from tenure.domain.tax import TaxCategory
from tenure.services.errors import UnknownDocument
from tenure.services.paging import Page
from tenure.services.repositories.documents import DocumentRepository

# Issue order: documents of one transaction share an instant; there the invoice comes before the
# credit notes, and numbers count up.
_ISSUE_ORDER = (t.documents.c.created_at, t.documents.c.type != "invoice", t.documents.c.number)


def _select(vendor_id: str, livemode: bool | None) -> Select[Any]:
    """The vendor's documents with their mode (column ``livemode``), of one mode unless
    ``livemode`` is None. A document's mode is its customer's, which never changes (a sandbox
    customer stays on its test clock), so it is derived rather than stored: documents written
    before sandbox series existed get it too, without touching an immutable row."""
    sandbox_contracts = select(t.contracts.c.id).where(
        t.contracts.c.vendor_id == vendor_id,
        t.contracts.c.customer_id.in_(sandbox_customers(vendor_id)),
    )
    live = t.documents.c.contract_id.not_in(sandbox_contracts)
    query = select(t.documents, live.label("livemode")).where(t.documents.c.vendor_id == vendor_id)
    if livemode is not None:
        query = query.where(live if livemode else not_(live))
    return query


class SqlDocuments(DocumentRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, vendor_id: str, document: Document, issued_at: datetime) -> None:
        # The primary key refuses a number that is taken, a unique index a second document for
        # the same contract and billing date.
        d = document.draft
        cur = d.currency
        self._s.execute(
            insert(t.documents).values(
                vendor_id=vendor_id,
                number=document.number,
                created_at=issued_at,
                type=d.type.value,
                contract_id=d.contract_id,
                issue_date=d.issue_date,
                billing_date=d.billing_date,
                currency=cur,
                refers_to=d.refers_to,
                seller=codec.party_to_json(d.seller),
                buyer=codec.party_to_json(d.buyer),
                tax_note=d.tax_note,
                net_total_minor=Money(d.net_total, cur).minor,
                vat_total_minor=Money(d.vat_total, cur).minor,
                gross_total_minor=Money(d.gross_total, cur).minor,
            )
        )
        self._s.execute(
            insert(t.document_lines),
            [
                {
                    "vendor_id": vendor_id,
                    "number": document.number,
                    "position": i,
                    "kind": x.kind.value,
                    "item": x.item,
                    "description": x.description,
                    "period_start": x.period.start if x.period else None,
                    "period_end": x.period.end if x.period else None,
                    "quantity": str(x.quantity),
                    "unit_price": str(x.unit_price),
                    "net_minor": Money(x.net, cur).minor,
                    "vat_rate": str(x.vat_rate),
                    "tax_category": x.tax_category.value,
                    "source": x.source,
                }
                for i, x in enumerate(d.lines)
            ],
        )

    def list(
        self, vendor_id: str, contract_id: str | None = None, livemode: bool | None = None
    ) -> builtins.list[Document]:
        query = _select(vendor_id, livemode)
        if contract_id is not None:
            query = query.where(t.documents.c.contract_id == contract_id)
        return self._from_rows(vendor_id, self._s.execute(query.order_by(*_ISSUE_ORDER)).all())

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
        d = t.documents.c
        query = _select(vendor_id, livemode)
        if contract_id is not None:
            query = query.where(d.contract_id == contract_id)
        if type is not None:
            query = query.where(d.type == type.value)
        if issued_from is not None:
            query = query.where(d.issue_date >= issued_from)
        if issued_to is not None:
            query = query.where(d.issue_date <= issued_to)
        found = paging.keyset(self._s, query, _ISSUE_ORDER, after, limit)
        return Page(self._from_rows(vendor_id, found.items), found.next)

    def get(self, vendor_id: str, number: str) -> Document:
        row = self._s.execute(
            _select(vendor_id, None).where(t.documents.c.number == number)
        ).one_or_none()
        if row is None:
            raise UnknownDocument(f"no invoice or credit note {number!r}")
        return self._from_rows(vendor_id, [row])[0]

    def last_invoice_number(self, vendor_id: str, contract_id: str) -> str | None:
        d = t.documents.c
        query = (
            select(d.number)
            .where(d.vendor_id == vendor_id, d.contract_id == contract_id, d.type == "invoice")
            .order_by(*(c.desc() for c in _ISSUE_ORDER))
            .limit(1)
        )
        return self._s.execute(query).scalar_one_or_none()

    def next_number(self, vendor_id: str, prefix: str, year: int) -> int:
        # The series row stays locked until commit: concurrent issuers queue here, so numbers are
        # gap-free and unique (a rolled-back transaction gives its number back).
        statement = self._s.insert(t.number_series).values(
            vendor_id=vendor_id, prefix=prefix, year=year, last=1
        )
        statement = statement.on_conflict_do_update(
            index_elements=["vendor_id", "prefix", "year"],
            set_={"last": t.number_series.c.last + 1},
        ).returning(t.number_series.c.last)
        return int(self._s.execute(statement).scalar_one())

    def _from_rows(self, vendor_id: str, rows: Sequence[Row[Any]]) -> builtins.list[Document]:
        if not rows:
            return []
        currency = {r.number: r.currency for r in rows}
        lines_query = select(t.document_lines).where(
            t.document_lines.c.vendor_id == vendor_id,
            t.document_lines.c.number.in_(builtins.list(currency)),
        )
        lines: dict[str, builtins.list[DocumentLine]] = {}
        for x in self._s.execute(lines_query.order_by(t.document_lines.c.position)):
            lines.setdefault(x.number, []).append(
                DocumentLine(
                    kind=LineKind(x.kind),
                    item=x.item,
                    description=x.description,
                    period=period_or_none(x.period_start, x.period_end),
                    quantity=Decimal(x.quantity),
                    unit_price=Decimal(x.unit_price),
                    net=Money.from_minor(x.net_minor, currency[x.number]).amount,
                    vat_rate=Decimal(x.vat_rate),
                    tax_category=TaxCategory(x.tax_category),
                    source=x.source,
                )
            )
        return [
            Document(
                r.number,
                DocumentDraft(
                    type=DocumentType(r.type),
                    contract_id=r.contract_id,
                    issue_date=r.issue_date,
                    currency=r.currency,
                    seller=codec.party_from_json(r.seller),
                    buyer=codec.party_from_json(r.buyer),
                    lines=tuple(lines.get(r.number, [])),
                    tax_note=r.tax_note,
                    refers_to=r.refers_to,
                    billing_date=r.billing_date,
                    livemode=bool(r.livemode),
                ),
            )
            for r in rows
        ]
