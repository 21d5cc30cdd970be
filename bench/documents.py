"""Complete documents per second on one core: what the render worker makes of one issued
invoice (issue #9): the Factur-X PDF (fpdf2 page, CII embedded as PDF/A-3) plus the XRechnung
CII and UBL, for a typical 5-line German invoice; against a baseline measured in the same run,
a one-page fpdf2 PDF with the same embedded font and one line, made the plain way (the font
read and subset for every page).

    PYTHONPATH=src .venv/bin/python bench/documents.py

Not a timed test: run it, read the figures. The first document of the process (fonts reduced
once) is reported apart.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from fpdf import FPDF  # noqa: E402
from tests.adapters import document_samples as samples  # noqa: E402

from tenure.adapters.documents import FacturXRenderer  # noqa: E402

ROUNDS = 5
PER_ROUND = 30
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def rate(work: Callable[[], object]) -> float:
    """Documents per second: the median of :data:`ROUNDS` rounds."""
    rates = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(PER_ROUND):
            work()
        rates.append(PER_ROUND / (time.perf_counter() - start))
    return statistics.median(rates)


def floor_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    pdf.cell(text="Rechnung RE-2026-000001 · 5,90 €")
    return bytes(pdf.output())


def main() -> None:
    renderer = FacturXRenderer()
    document = samples.invoice()
    assert len(document.lines) == 5, len(document.lines)
    start = time.perf_counter()
    renderer.render(document, None)
    print(f"first document of the process: {time.perf_counter() - start:.3f} s")
    floor = rate(floor_pdf)
    complete = rate(lambda: renderer.render(document, None))
    print(f"baseline, fpdf2 one-line page with an embedded font: {floor:7.1f}/s")
    print(f"complete document (Factur-X PDF + XRechnung CII + UBL): {complete:7.1f}/s per core")
    print(
        f"complete documents per baseline page: {complete / floor:.2f}"
        " (the baseline parses its font for every page; the renderer parses fonts once per"
        " process); target: >= 20 documents/s"
    )


if __name__ == "__main__":
    main()
