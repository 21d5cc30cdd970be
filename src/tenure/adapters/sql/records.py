"""Documents and their number series, usage events, the outbox, the audit log, listings and
test clocks in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, insert, select, true, update
from sqlalchemy.exc import IntegrityError

from tenure.adapters.sql import codec, paging
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.base import SqlBase, customer_from_row, period_or_none
from tenure.domain.charges import LineKind
from tenure.domain.customer import Customer
from tenure.domain.events import Event
from tenure.domain.invoicing import Document, DocumentDraft, DocumentLine, DocumentType
from tenure.domain.money import Money
from tenure.domain.tax import TaxCategory
from tenure.domain.usage import UsageRecord
from tenure.services.access import ApiKeyRecord, Scope
from tenure.services.errors import ConcurrencyConflict, UnknownTestClock, UnknownWebhookEndpoint
from tenure.services.paging import Page
from tenure.services.repositories.webhooks import Delivery, WebhookEndpoint
from tenure.services.unit_of_work import (
    LEGACY_CLAIM_TIMEOUT,
    AuditEntry,
    IdempotentResponse,
    OutboxMessage,
    TestClockState,
)


class SqlRecords(SqlBase):
    # ------------------------------------------------------------------ documents

    def add_document(self, vendor_id: str, document: Document, issued_at: datetime) -> None:
        d = document.draft
        cur = d.currency
        self.conn.execute(
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
        self.conn.execute(
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

    def documents(self, vendor_id: str, contract_id: str | None = None) -> list[Document]:
        query = select(t.documents).where(t.documents.c.vendor_id == vendor_id)
        if contract_id is not None:
            query = query.where(t.documents.c.contract_id == contract_id)
        return self._documents_from_rows(
            vendor_id, self.conn.execute(query.order_by(*_ISSUE_ORDER)).all()
        )

    def documents_page(
        self,
        vendor_id: str,
        after: str | None,
        limit: int,
        contract_id: str | None = None,
        type: DocumentType | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
    ) -> Page[Document]:
        d = t.documents.c
        query = select(t.documents).where(d.vendor_id == vendor_id)
        if contract_id is not None:
            query = query.where(d.contract_id == contract_id)
        if type is not None:
            query = query.where(d.type == type.value)
        if issued_from is not None:
            query = query.where(d.issue_date >= issued_from)
        if issued_to is not None:
            query = query.where(d.issue_date <= issued_to)
        found = paging.keyset(self.conn, query, _ISSUE_ORDER, after, limit)
        return Page(self._documents_from_rows(vendor_id, found.items), found.next)

    def _documents_from_rows(self, vendor_id: str, rows: Sequence[Row[Any]]) -> list[Document]:
        if not rows:
            return []
        currency = {r.number: r.currency for r in rows}
        lines_query = select(t.document_lines).where(
            t.document_lines.c.vendor_id == vendor_id,
            t.document_lines.c.number.in_(list(currency)),
        )
        lines: dict[str, list[DocumentLine]] = {}
        for x in self.conn.execute(lines_query.order_by(t.document_lines.c.position)):
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
                ),
            )
            for r in rows
        ]

    def next_number(self, vendor_id: str, prefix: str, year: int) -> int:
        # The series row stays locked until commit: concurrent issuers queue here, so numbers are
        # gap-free and unique (a rolled-back transaction gives its number back).
        statement = self._insert(t.number_series).values(
            vendor_id=vendor_id, prefix=prefix, year=year, last=1
        )
        statement = statement.on_conflict_do_update(
            index_elements=["vendor_id", "prefix", "year"],
            set_={"last": t.number_series.c.last + 1},
        ).returning(t.number_series.c.last)
        return int(self.conn.execute(statement).scalar_one())

    # ------------------------------------------------------------------ usage

    def usage(self, vendor_id: str, key: str) -> UsageRecord | None:
        row = self.conn.execute(
            select(t.usage_events).where(
                t.usage_events.c.vendor_id == vendor_id, t.usage_events.c.key == key
            )
        ).first()
        return _usage(row) if row else None

    def add_usage(self, vendor_id: str, record: UsageRecord) -> None:
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(t.usage_events).values(
                        vendor_id=vendor_id,
                        key=record.key,
                        contract_id=record.contract_id,
                        metric=record.metric,
                        quantity=str(record.quantity),
                        occurred_at=record.occurred_at,
                        occurred_on=record.occurred_on,
                        unit_price=str(record.unit_price),
                    )
                )
        except IntegrityError as exc:  # the same key arrived concurrently: retry sees it
            raise ConcurrencyConflict(f"usage key {record.key!r} was recorded meanwhile") from exc

    def usage_many(self, vendor_id: str, keys: list[str]) -> dict[str, UsageRecord]:
        found: dict[str, UsageRecord] = {}
        for start in range(0, len(keys), 500):
            rows = self.conn.execute(
                select(t.usage_events).where(
                    t.usage_events.c.vendor_id == vendor_id,
                    t.usage_events.c.key.in_(keys[start : start + 500]),
                )
            )
            found.update((r.key, _usage(r)) for r in rows)
        return found

    def add_usage_many(self, vendor_id: str, records: list[UsageRecord]) -> None:
        if not records:
            return
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(t.usage_events),
                    [
                        {
                            "vendor_id": vendor_id,
                            "key": r.key,
                            "contract_id": r.contract_id,
                            "metric": r.metric,
                            "quantity": str(r.quantity),
                            "occurred_at": r.occurred_at,
                            "occurred_on": r.occurred_on,
                            "unit_price": str(r.unit_price),
                        }
                        for r in records
                    ],
                )
        except IntegrityError as exc:  # a key arrived concurrently: the retry sees it
            raise ConcurrencyConflict("a usage key of the batch was recorded meanwhile") from exc

    def unbilled_usage(self, vendor_id: str, contract_id: str, before: date) -> list[UsageRecord]:
        rows = self.conn.execute(
            select(t.usage_events)
            .where(
                t.usage_events.c.vendor_id == vendor_id,
                t.usage_events.c.contract_id == contract_id,
                t.usage_events.c.invoice_number.is_(None),
                t.usage_events.c.occurred_on < before,
            )
            .order_by(t.usage_events.c.occurred_at, t.usage_events.c.key)
        ).all()
        return [_usage(r) for r in rows]

    def mark_usage_billed(self, vendor_id: str, records: list[UsageRecord], number: str) -> None:
        for record in records:
            self.conn.execute(
                update(t.usage_events)
                .where(
                    t.usage_events.c.vendor_id == vendor_id,
                    t.usage_events.c.contract_id == record.contract_id,
                    t.usage_events.c.key == record.key,
                )
                .values(invoice_number=number)
            )

    # ------------------------------------------------------------------ listings

    def vendors(self) -> list[str]:
        return list(self.conn.execute(select(t.vendors.c.id).order_by(t.vendors.c.id)).scalars())

    def customers(self, vendor_id: str) -> list[Customer]:
        return self._customers_where(true(), vendor_id)

    def customers_page(self, vendor_id: str, after: str | None, limit: int) -> Page[Customer]:
        query = select(t.customers).where(t.customers.c.vendor_id == vendor_id)
        found = paging.keyset(self.conn, query, [t.customers.c.id], after, limit)
        return Page([customer_from_row(r) for r in found.items], found.next)

    def audit(self, vendor_id: str, entity_id: str | None = None) -> list[AuditEntry]:
        rows = self.conn.execute(self._audit_query(vendor_id, entity_id).order_by(t.audit_log.c.id))
        return [_audit_entry(r) for r in rows]

    def audit_page(
        self, vendor_id: str, after: str | None, limit: int, entity_id: str | None = None
    ) -> Page[AuditEntry]:
        query = self._audit_query(vendor_id, entity_id)
        found = paging.keyset(self.conn, query, [t.audit_log.c.id], after, limit)
        return Page([_audit_entry(r) for r in found.items], found.next)

    def _audit_query(self, vendor_id: str, entity_id: str | None) -> Select[Any]:
        query = select(t.audit_log).where(t.audit_log.c.vendor_id == vendor_id)
        if entity_id is not None:
            query = query.where(t.audit_log.c.entity_id == entity_id)
        return query

    # ------------------------------------------------------------------ test clocks

    def add_test_clock(self, vendor_id: str, clock: TestClockState) -> None:
        self.conn.execute(
            insert(t.test_clocks).values(
                vendor_id=vendor_id, id=clock.id, name=clock.name, frozen_at=clock.frozen_at
            )
        )

    def test_clock(self, vendor_id: str, clock_id: str, lock: bool = False) -> TestClockState:
        query = select(t.test_clocks).where(
            t.test_clocks.c.vendor_id == vendor_id, t.test_clocks.c.id == clock_id
        )
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise UnknownTestClock(f"no test clock {clock_id!r}")
        return TestClockState(row.id, row.name, row.frozen_at)

    def set_test_clock(self, vendor_id: str, clock: TestClockState) -> None:
        self.conn.execute(
            update(t.test_clocks)
            .where(t.test_clocks.c.vendor_id == vendor_id, t.test_clocks.c.id == clock.id)
            .values(frozen_at=clock.frozen_at, name=clock.name)
        )

    def test_clocks(self, vendor_id: str) -> list[TestClockState]:
        rows = self.conn.execute(
            select(t.test_clocks)
            .where(t.test_clocks.c.vendor_id == vendor_id)
            .order_by(t.test_clocks.c.id)
        )
        return [TestClockState(r.id, r.name, r.frozen_at) for r in rows]

    # ------------------------------------------------------------------ outbox

    def publish(self, vendor_id: str, events: list[Event]) -> None:
        if events:
            self.conn.execute(
                insert(t.outbox),
                [
                    {
                        "vendor_id": vendor_id,
                        "contract_id": e.contract_id,
                        "name": e.name,
                        "occurred_at": e.occurred_at,
                        "payload": codec.event_to_json(e),
                        "delivered": False,
                    }
                    for e in events
                ],
            )

    def outbox(self, vendor_id: str | None = None) -> list[OutboxMessage]:
        query = select(t.outbox).order_by(t.outbox.c.sequence)
        if vendor_id is not None:
            query = query.where(t.outbox.c.vendor_id == vendor_id)
        return [
            OutboxMessage(r.sequence, r.vendor_id, codec.event_from_json(r.name, r.payload))
            for r in self.conn.execute(query)
        ]

    # ------------------------------------------------------------------ API access

    def add_api_key(self, record: ApiKeyRecord) -> None:
        self.conn.execute(
            insert(t.api_keys).values(
                id=record.id,
                vendor_id=record.vendor_id,
                secret_hash=record.secret_hash,
                scope=record.scope.value,
                name=record.name,
                created_at=record.created_at,
            )
        )

    def api_key(self, key_id: str) -> ApiKeyRecord | None:
        r = self.conn.execute(select(t.api_keys).where(t.api_keys.c.id == key_id)).first()
        if r is None:
            return None
        return ApiKeyRecord(
            r.id, r.vendor_id, r.secret_hash, Scope(r.scope), r.name, r.created_at, r.revoked_at
        )

    def revoke_api_key(self, key_id: str, at: datetime) -> None:
        self.conn.execute(
            update(t.api_keys)
            .where(t.api_keys.c.id == key_id, t.api_keys.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def claim_idempotency_key(
        self, vendor_id: str, key: str, fingerprint: str, at: datetime
    ) -> IdempotentResponse | None:
        # Insert-or-read: the primary key makes exactly one request the owner of a key; a
        # concurrent insert of the same key waits for the owner's transaction to end.
        inserted = self.conn.execute(
            self._insert(t.idempotency_keys)
            .values(vendor_id=vendor_id, key=key, fingerprint=fingerprint, created_at=at)
            .on_conflict_do_nothing(index_elements=["vendor_id", "key"])
            .returning(t.idempotency_keys.c.key)
        ).first()
        if inserted is not None:
            return None
        r = self.conn.execute(
            select(t.idempotency_keys).where(
                t.idempotency_keys.c.vendor_id == vendor_id, t.idempotency_keys.c.key == key
            )
        ).one()
        if r.status is None and at - r.created_at > LEGACY_CLAIM_TIMEOUT:
            # Committed by the claim-then-run protocol of an earlier version, whose request
            # died: take it over (a younger one may still be running: 409 until it ends).
            self.conn.execute(
                update(t.idempotency_keys)
                .where(t.idempotency_keys.c.vendor_id == vendor_id, t.idempotency_keys.c.key == key)
                .values(fingerprint=fingerprint, created_at=at)
            )
            return None
        return IdempotentResponse(r.fingerprint, r.status, r.body, r.created_at)

    def store_idempotent_response(self, vendor_id: str, key: str, status: int, body: Any) -> None:
        self.conn.execute(
            update(t.idempotency_keys)
            .where(t.idempotency_keys.c.vendor_id == vendor_id, t.idempotency_keys.c.key == key)
            .values(status=status, body=body)
        )

    # ------------------------------------------------------------------ webhooks

    def add_webhook_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self.conn.execute(
            insert(t.webhook_endpoints).values(
                id=endpoint.id,
                vendor_id=endpoint.vendor_id,
                url=endpoint.url,
                secret=endpoint.secret,
                event_types=list(endpoint.event_types),
                created_at=endpoint.created_at,
            )
        )

    def webhook_endpoints(self, vendor_id: str) -> list[WebhookEndpoint]:
        rows = self.conn.execute(
            select(t.webhook_endpoints)
            .where(t.webhook_endpoints.c.vendor_id == vendor_id)
            .order_by(t.webhook_endpoints.c.created_at, t.webhook_endpoints.c.id)
        )
        return [_endpoint(r) for r in rows]

    def webhook_endpoint(self, vendor_id: str, endpoint_id: str) -> WebhookEndpoint:
        row = self.conn.execute(
            select(t.webhook_endpoints).where(
                t.webhook_endpoints.c.vendor_id == vendor_id,
                t.webhook_endpoints.c.id == endpoint_id,
            )
        ).first()
        if row is None:
            raise UnknownWebhookEndpoint(f"no webhook endpoint {endpoint_id!r}")
        return _endpoint(row)

    def undelivered_outbox(self, limit: int) -> list[OutboxMessage]:
        query = (
            select(t.outbox)
            .where(t.outbox.c.delivered.is_(False))
            .order_by(t.outbox.c.sequence)
            .limit(limit)
        )
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        return [
            OutboxMessage(r.sequence, r.vendor_id, codec.event_from_json(r.name, r.payload))
            for r in self.conn.execute(query)
        ]

    def mark_outbox_delivered(self, sequences: list[int]) -> None:
        if sequences:
            self.conn.execute(
                update(t.outbox).where(t.outbox.c.sequence.in_(sequences)).values(delivered=True)
            )

    def add_delivery(self, delivery: Delivery) -> None:
        self.conn.execute(insert(t.webhook_deliveries).values(**_delivery_values(delivery)))

    def next_due_delivery(self, now: datetime) -> Delivery | None:
        query = (
            select(t.webhook_deliveries)
            .where(
                t.webhook_deliveries.c.status == "pending",
                t.webhook_deliveries.c.next_attempt_at <= now,
            )
            .order_by(t.webhook_deliveries.c.next_attempt_at, t.webhook_deliveries.c.created_at)
            .limit(1)
        )
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        row = self.conn.execute(query).first()
        return _delivery(row) if row else None

    def update_delivery(self, delivery: Delivery) -> None:
        self.conn.execute(
            update(t.webhook_deliveries)
            .where(t.webhook_deliveries.c.id == delivery.id)
            .values(**_delivery_values(delivery))
        )

    def delivery(self, vendor_id: str, delivery_id: str) -> Delivery | None:
        row = self.conn.execute(
            select(t.webhook_deliveries).where(
                t.webhook_deliveries.c.vendor_id == vendor_id,
                t.webhook_deliveries.c.id == delivery_id,
            )
        ).first()
        return _delivery(row) if row else None

    def deliveries(self, vendor_id: str, endpoint_id: str) -> list[Delivery]:
        rows = self.conn.execute(
            select(t.webhook_deliveries)
            .where(
                t.webhook_deliveries.c.vendor_id == vendor_id,
                t.webhook_deliveries.c.endpoint_id == endpoint_id,
            )
            .order_by(t.webhook_deliveries.c.created_at, t.webhook_deliveries.c.id)
        )
        return [_delivery(r) for r in rows]

    def deliveries_page(
        self, vendor_id: str, endpoint_id: str, after: str | None, limit: int
    ) -> Page[Delivery]:
        w = t.webhook_deliveries.c
        query = select(t.webhook_deliveries).where(
            w.vendor_id == vendor_id, w.endpoint_id == endpoint_id
        )
        found = paging.keyset(self.conn, query, [w.created_at, w.id], after, limit)
        return Page([_delivery(r) for r in found.items], found.next)


def _usage(row: Row[Any]) -> UsageRecord:
    return UsageRecord(
        key=row.key,
        contract_id=row.contract_id,
        metric=row.metric,
        quantity=Decimal(row.quantity),
        occurred_at=row.occurred_at,
        occurred_on=row.occurred_on,
        unit_price=Decimal(row.unit_price),
    )


def _endpoint(r: Row[Any]) -> WebhookEndpoint:
    return WebhookEndpoint(r.id, r.vendor_id, r.url, r.secret, tuple(r.event_types), r.created_at)


# Issue order: documents of one transaction share an instant; there the invoice comes before the
# credit notes, and numbers count up.
_ISSUE_ORDER = (t.documents.c.created_at, t.documents.c.type != "invoice", t.documents.c.number)


def _audit_entry(r: Row[Any]) -> AuditEntry:
    return AuditEntry(r.at, r.actor, r.action, r.entity, r.entity_id, r.before, r.after)


def _delivery_values(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "vendor_id": d.vendor_id,
        "endpoint_id": d.endpoint_id,
        "message_id": d.message_id,
        "event_name": d.event_name,
        "payload": d.payload,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "created_at": d.created_at,
        "last_status": d.last_status,
        "last_error": d.last_error,
        "delivered_at": d.delivered_at,
    }


def _delivery(r: Row[Any]) -> Delivery:
    return Delivery(
        id=r.id,
        vendor_id=r.vendor_id,
        endpoint_id=r.endpoint_id,
        message_id=r.message_id,
        event_name=r.event_name,
        payload=r.payload,
        status=r.status,
        attempts=r.attempts,
        next_attempt_at=r.next_attempt_at,
        created_at=r.created_at,
        last_status=r.last_status,
        last_error=r.last_error,
        delivered_at=r.delivered_at,
    )
