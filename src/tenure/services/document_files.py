"""The files of issued documents: the Factur-X PDF (PDF/A-3 with the EN 16931 CII XML embedded)
and the XRechnung e-invoice in CII and UBL syntax.

A document is rendered after the transaction that issued it has committed (the message bus queues
it; a worker renders it), never inside the billing transaction, so a billing run does not wait
for PDFs. Its files are rendered once and stored with their SHA-256 (GoBD): the bytes a customer
received stay the bytes on record, a second download is byte-identical, and a later change of
templates or libraries never alters an issued document. A file asked for before the worker got
to it is rendered and stored on the spot; if two render at once, the first stored wins and both
callers get it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol

from tenure.domain import events as ev
from tenure.domain.invoicing import Document
from tenure.services.context import Context, UseCases, retrying
from tenure.services.errors import ConcurrencyConflict, describe
from tenure.services.repositories.document_files import DocumentFile, FileFormat, RenderJob
from tenure.services.repositories.outbox import OutboxMessage
from tenure.services.unit_of_work import UnitOfWork

LOG = logging.getLogger("tenure.documents")

#: How long a leased render job stays off the due list (far longer than a render takes).
LEASE = timedelta(minutes=2)
#: Pause before the next attempt after n failed renders (the last one repeats).
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    """What the renderer makes of one document."""

    pdf: bytes  # Factur-X, profile EN 16931, with the CII embedded
    cii: bytes  # XRechnung, CII syntax
    ubl: bytes  # XRechnung, UBL syntax

    def content(self, format: FileFormat) -> bytes:
        return {FileFormat.PDF: self.pdf, FileFormat.CII: self.cii, FileFormat.UBL: self.ubl}[
            format
        ]


class DocumentRenderer(Protocol):
    def render(self, document: Document, preceding_issue_date: date | None) -> RenderedDocument:
        """The files of ``document``; ``preceding_issue_date`` is the issue date of the invoice
        a credit note corrects (None for an invoice). Pure: the same input gives the same
        bytes."""
        ...


class DocumentFiles(UseCases):
    """Rendering issued documents once, storing and serving their files."""

    def __init__(self, ctx: Context, renderer: DocumentRenderer) -> None:
        super().__init__(ctx)
        self.renderer = renderer

    def on_event(self, uow: UnitOfWork, message: OutboxMessage) -> None:
        """Message bus handler: queue every issued document for rendering."""
        event = message.event
        if isinstance(event, ev.DocumentIssued):
            uow.document_files.enqueue(message.vendor_id, event.number, self.ctx.clock.now())

    def file(self, vendor_id: str, number: str, format: FileFormat) -> DocumentFile:
        """The stored file of a document, rendered and stored now if the worker has not got to
        it yet; :class:`~tenure.services.errors.UnknownDocument` if there is no such document."""
        with self._reading() as uow:
            stored = uow.document_files.get(vendor_id, number, format)
            if stored is None:
                uow.documents.get(vendor_id, number)  # UnknownDocument
        return stored or self.render(vendor_id, number)[format]

    def render(self, vendor_id: str, number: str) -> dict[FileFormat, DocumentFile]:
        """Render a document (with no transaction open) and store its files unless stored
        already; returns the stored files (those of the first render, if another came first)."""
        with self._reading() as uow:
            document = uow.documents.get(vendor_id, number)
            preceding = (
                uow.documents.get(vendor_id, document.refers_to).issue_date
                if document.refers_to
                else None
            )
        rendered = self.renderer.render(document, preceding)
        return self._store(vendor_id, number, rendered)

    @retrying
    def _store(
        self, vendor_id: str, number: str, rendered: RenderedDocument
    ) -> dict[FileFormat, DocumentFile]:
        with self._uow() as uow:
            now = self.ctx.clock.now()
            files = {}
            for format in FileFormat:
                content = rendered.content(format)
                files[format] = DocumentFile(
                    vendor_id, number, format, content, hashlib.sha256(content).hexdigest(), now
                )
            # All or nothing: the files of one render, or (another render came first) the
            # stored ones, never a mix.
            added = [uow.document_files.add(f) for f in files.values()]
            if not all(added):
                stored = {f: uow.document_files.get(vendor_id, number, f) for f in FileFormat}
                files = {f: s for f, s in stored.items() if s is not None}
                if any(added) or len(files) != len(FileFormat):  # a mix: run again
                    raise ConcurrencyConflict(f"the files of {number} are being stored")
            uow.document_files.finish_job(vendor_id, number)
            uow.commit()
            return files

    def render_next(self) -> bool:
        """Worker step: render the oldest queued document; returns whether there was one. A
        failure is logged and retried later (:data:`RETRY_DELAYS`); a worker that dies mid-render
        leaves the job due again after :data:`LEASE`."""
        job = self._lease()
        if job is None:
            return False
        try:
            self.render(job.vendor_id, job.number)
        except Exception as exc:
            LOG.exception("rendering %s failed (attempt %d)", job.number, job.attempts)
            self._failed(job, describe(exc))
        return True

    @retrying
    def _lease(self) -> RenderJob | None:
        with self._uow() as uow:
            now = self.ctx.clock.now()
            job = uow.document_files.next_job(now)
            if job is None:
                return None
            leased = replace(job, attempts=job.attempts + 1, next_attempt_at=now + LEASE)
            uow.document_files.update_job(leased)
            uow.commit()
            return leased

    @retrying
    def _failed(self, job: RenderJob, error: str) -> None:
        delay = RETRY_DELAYS[min(job.attempts, len(RETRY_DELAYS)) - 1]
        with self._uow() as uow:
            later = replace(job, next_attempt_at=self.ctx.clock.now() + delay, last_error=error)
            uow.document_files.update_job(later)
            uow.commit()
