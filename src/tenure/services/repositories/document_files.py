"""The rendered files of issued documents (the Factur-X PDF and the XRechnung XMLs), stored once,
and the queue of documents waiting to be rendered (see :mod:`tenure.services.document_files`)."""

from __future__ import annotations

import abc
import enum
from dataclasses import dataclass
from datetime import datetime


class FileFormat(enum.Enum):
    """The files of a document: the Factur-X PDF (PDF/A-3 with the CII XML embedded) and the
    XRechnung e-invoice in either syntax."""

    PDF = "pdf"
    CII = "cii"
    UBL = "ubl"

    @property
    def media_type(self) -> str:
        return "application/pdf" if self is FileFormat.PDF else "application/xml"

    @property
    def suffix(self) -> str:
        return {"pdf": ".pdf", "cii": ".cii.xml", "ubl": ".ubl.xml"}[self.value]


@dataclass(frozen=True, slots=True)
class DocumentFile:
    """The bytes a customer receives, as on record (GoBD): stored once, never changed."""

    vendor_id: str
    number: str
    format: FileFormat
    content: bytes
    sha256: str
    created_at: datetime

    @property
    def filename(self) -> str:
        return self.number + self.format.suffix


@dataclass(frozen=True, slots=True)
class RenderJob:
    """A document waiting to be rendered; ``next_attempt_at`` doubles as the lease."""

    vendor_id: str
    number: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None = None


class DocumentFileRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, vendor_id: str, number: str, format: FileFormat) -> DocumentFile | None:
        """The stored file, or None while the document is not rendered yet."""

    @abc.abstractmethod
    def add(self, file: DocumentFile) -> bool:
        """Store ``file`` unless a file of that document and format exists (then the stored one
        stays, unchanged); returns whether it was stored."""

    @abc.abstractmethod
    def enqueue(self, vendor_id: str, number: str, at: datetime) -> None:
        """Queue the document for rendering (once: queuing it again changes nothing)."""

    @abc.abstractmethod
    def next_job(self, now: datetime) -> RenderJob | None:
        """The oldest job due by ``now``, locked (PostgreSQL: others skip it); the caller leases
        it with :meth:`update_job` before committing."""

    @abc.abstractmethod
    def update_job(self, job: RenderJob) -> None:
        """Store the job's attempts, next attempt (its lease) and last error."""

    @abc.abstractmethod
    def finish_job(self, vendor_id: str, number: str) -> None:
        """Remove the job: the document's files are stored."""
