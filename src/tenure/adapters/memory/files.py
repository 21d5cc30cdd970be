"""Rendered document files, their render queue and customers' e-mails in memory."""

from __future__ import annotations

from datetime import datetime

from tenure.adapters.memory.overlay import Overlay
from tenure.adapters.memory.tables import MISSING
from tenure.services.repositories.document_files import (
    DocumentFile,
    DocumentFileRepository,
    FileFormat,
    RenderJob,
)
from tenure.services.repositories.emails import EmailRecord, EmailRepository, EmailStatus


class MemoryDocumentFiles(DocumentFileRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def get(self, vendor_id: str, number: str, format: FileFormat) -> DocumentFile | None:
        found: DocumentFile | None = self._t.get("document_files", (vendor_id, number, format))
        return found

    def add(self, file: DocumentFile) -> bool:
        key = (file.vendor_id, file.number, file.format)
        if self._t.get_for_update("document_files", key) is not MISSING:
            return False
        self._t.put("document_files", key, file)
        return True

    def enqueue(self, vendor_id: str, number: str, at: datetime) -> None:
        key = (vendor_id, number)
        if self._t.get("render_jobs", key) is None:
            self._t.put("render_jobs", key, RenderJob(vendor_id, number, 0, at))

    def next_job(self, now: datetime) -> RenderJob | None:
        due = [j for _, j in self._t.scan("render_jobs") if j.next_attempt_at <= now]
        if not due:
            return None
        job: RenderJob = min(due, key=lambda j: j.next_attempt_at)
        return job if self._t.still("render_jobs", (job.vendor_id, job.number), job) else None

    def update_job(self, job: RenderJob) -> None:
        key = (job.vendor_id, job.number)
        if self._t.get_for_update("render_jobs", key) is not MISSING:  # not a finished one
            self._t.put("render_jobs", key, job)

    def finish_job(self, vendor_id: str, number: str) -> None:
        if self._t.get("render_jobs", (vendor_id, number)) is not None:
            self._t.delete("render_jobs", (vendor_id, number))


class MemoryEmails(EmailRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def add(self, record: EmailRecord) -> bool:
        key = (record.vendor_id, record.event_sequence, record.template, record.recipient)
        if self._t.get_for_update("email_keys", key) is not MISSING:
            return False
        self._t.put("email_keys", key, record.id)
        self._t.put("emails", record.id, record)
        return True

    def get(self, vendor_id: str, email_id: str) -> EmailRecord | None:
        found: EmailRecord | None = self._t.get("emails", email_id)
        return found if found is not None and found.vendor_id == vendor_id else None

    def next_due(self, now: datetime) -> EmailRecord | None:
        due = [
            e
            for _, e in self._t.scan("emails")
            if e.status in (EmailStatus.PENDING, EmailStatus.SENDING)
            and e.next_attempt_at is not None
            and e.next_attempt_at <= now
        ]
        if not due:
            return None
        chosen: EmailRecord = min(due, key=lambda e: (e.next_attempt_at, e.created_at))
        return chosen if self._t.still("emails", chosen.id, chosen) else None

    def update(self, record: EmailRecord) -> None:
        self._t.put("emails", record.id, record)

    def update_if(self, record: EmailRecord, expected: EmailRecord) -> bool:
        current = self._t.get_for_update("emails", record.id)
        if current is MISSING or (current.status, current.attempts, current.next_attempt_at) != (
            expected.status,
            expected.attempts,
            expected.next_attempt_at,
        ):
            return False
        self._t.put("emails", record.id, record)
        return True

    def for_customer(self, vendor_id: str, customer_id: str) -> list[EmailRecord]:
        return [
            e
            for _, e in self._t.scan("emails")
            if e.vendor_id == vendor_id and e.customer_id == customer_id
        ]
