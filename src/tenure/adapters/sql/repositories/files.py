"""Rendered document files, their render queue and customers' e-mails in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, update

from tenure.adapters.sql import tables as t
from tenure.adapters.sql.session import Session
from tenure.services.repositories.document_files import (
    DocumentFile,
    DocumentFileRepository,
    FileFormat,
    RenderJob,
)
from tenure.services.repositories.emails import EmailRecord, EmailRepository, EmailStatus


class SqlDocumentFiles(DocumentFileRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, vendor_id: str, number: str, format: FileFormat) -> DocumentFile | None:
        f = t.document_files.c
        row = self._s.execute(
            select(t.document_files).where(
                f.vendor_id == vendor_id, f.number == number, f.format == format.value
            )
        ).first()
        if row is None:
            return None
        return DocumentFile(
            row.vendor_id,
            row.number,
            FileFormat(row.format),
            bytes(row.content),
            row.sha256,
            row.created_at,
        )

    def add(self, file: DocumentFile) -> bool:
        statement = (
            self._s.insert(t.document_files)
            .values(
                vendor_id=file.vendor_id,
                number=file.number,
                format=file.format.value,
                content=file.content,
                sha256=file.sha256,
                created_at=file.created_at,
            )
            .on_conflict_do_nothing()
        )
        return bool(self._s.execute(statement).rowcount == 1)

    def enqueue(self, vendor_id: str, number: str, at: datetime) -> None:
        self._s.execute(
            self._s.insert(t.render_jobs)
            .values(vendor_id=vendor_id, number=number, attempts=0, next_attempt_at=at)
            .on_conflict_do_nothing()
        )

    def next_job(self, now: datetime) -> RenderJob | None:
        j = t.render_jobs.c
        query = (
            select(t.render_jobs)
            .where(j.next_attempt_at <= now)
            .order_by(j.next_attempt_at, j.number)
            .limit(1)
        )
        if self._s.postgres:
            query = query.with_for_update(skip_locked=True)
        row = self._s.execute(query).first()
        if row is None:
            return None
        return RenderJob(
            row.vendor_id, row.number, row.attempts, row.next_attempt_at, row.last_error
        )

    def update_job(self, job: RenderJob) -> None:
        j = t.render_jobs.c
        self._s.execute(
            update(t.render_jobs)
            .where(j.vendor_id == job.vendor_id, j.number == job.number)
            .values(
                attempts=job.attempts,
                next_attempt_at=job.next_attempt_at,
                last_error=job.last_error,
            )
        )

    def finish_job(self, vendor_id: str, number: str) -> None:
        j = t.render_jobs.c
        self._s.execute(delete(t.render_jobs).where(j.vendor_id == vendor_id, j.number == number))


class SqlEmails(EmailRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, record: EmailRecord) -> bool:
        statement = (
            self._s.insert(t.emails)
            .values(**_values(record))
            .on_conflict_do_nothing(
                index_elements=["vendor_id", "event_sequence", "template", "recipient"]
            )
        )
        return bool(self._s.execute(statement).rowcount == 1)

    def get(self, vendor_id: str, email_id: str) -> EmailRecord | None:
        e = t.emails.c
        row = self._s.execute(
            select(t.emails).where(e.vendor_id == vendor_id, e.id == email_id)
        ).first()
        return _record(row) if row else None

    def next_due(self, now: datetime) -> EmailRecord | None:
        e = t.emails.c
        query = (
            select(t.emails)
            .where(
                e.status.in_([EmailStatus.PENDING.value, EmailStatus.SENDING.value]),
                e.next_attempt_at <= now,
            )
            .order_by(e.next_attempt_at, e.created_at)
            .limit(1)
        )
        if self._s.postgres:
            query = query.with_for_update(skip_locked=True)
        row = self._s.execute(query).first()
        return _record(row) if row else None

    def update(self, record: EmailRecord) -> None:
        self._s.execute(
            update(t.emails).where(t.emails.c.id == record.id).values(**_values(record))
        )

    def update_if(self, record: EmailRecord, expected: EmailRecord) -> bool:
        e = t.emails.c
        result = self._s.execute(
            update(t.emails)
            .where(
                e.id == record.id,
                e.status == expected.status.value,
                e.attempts == expected.attempts,
                e.next_attempt_at.is_(None)
                if expected.next_attempt_at is None
                else e.next_attempt_at == expected.next_attempt_at,
            )
            .values(**_values(record))
        )
        return bool(result.rowcount == 1)

    def for_customer(self, vendor_id: str, customer_id: str) -> list[EmailRecord]:
        e = t.emails.c
        rows = self._s.execute(
            select(t.emails)
            .where(e.vendor_id == vendor_id, e.customer_id == customer_id)
            .order_by(e.created_at, e.event_sequence, e.id)
        )
        return [_record(r) for r in rows]


def _values(r: EmailRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "vendor_id": r.vendor_id,
        "customer_id": r.customer_id,
        "livemode": r.livemode,
        "event_sequence": r.event_sequence,
        "event_name": r.event_name,
        "template": r.template,
        "recipient": r.recipient,
        "locale": r.locale,
        "message_id": r.message_id,
        "context": r.context,
        "attachments": list(r.attachments),
        "status": r.status.value,
        "attempts": r.attempts,
        "next_attempt_at": r.next_attempt_at,
        "created_at": r.created_at,
        "subject": r.subject,
        "sent_at": r.sent_at,
        "last_error": r.last_error,
    }


def _record(r: Row[Any]) -> EmailRecord:
    return EmailRecord(
        id=r.id,
        vendor_id=r.vendor_id,
        customer_id=r.customer_id,
        livemode=r.livemode,
        event_sequence=r.event_sequence,
        event_name=r.event_name,
        template=r.template,
        recipient=r.recipient,
        locale=r.locale,
        message_id=r.message_id,
        context=dict(r.context),
        attachments=tuple(r.attachments),
        status=EmailStatus(r.status),
        attempts=r.attempts,
        next_attempt_at=r.next_attempt_at,
        created_at=r.created_at,
        subject=r.subject,
        sent_at=r.sent_at,
        last_error=r.last_error,
    )
