"""Documents benchmark: complete Factur-X files per second on one core, for a typical 5-line
German invoice (render the PDF, then embed a fixed CII XML as PDF/A-3), and the same for an
English and a Chinese invoice. Not a timed test: run it, read the figures.

    PYTHONPATH=src .venv/bin/python bench/documents_pdf.py [--profile]

The first document of a process pays for reducing the fonts once (see
``tenure.adapters.pdf.fonts``); it is reported apart and left out of the rate. The CII XML is
the EN 16931 example from ``../shared`` (the figures do not depend on which valid XML it is).
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.adapters import document_samples as samples  # noqa: E402

from tenure.adapters.pdf import document_pdf, factur_x  # noqa: E402
from tenure.domain.invoicing import Document  # noqa: E402

ROUNDS = 5
PER_ROUND = 40


def complete(document: Document, cii: bytes) -> bytes:
    return factur_x(document_pdf(document, None), cii, document)


def rate(work: Callable[[], object], rounds: int = ROUNDS, per_round: int = PER_ROUND) -> str:
    """Documents per second: the median and the best of ``rounds`` rounds."""
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            work()
        rates.append(per_round / (time.perf_counter() - start))
    return f"{statistics.median(rates):6.1f}/s median, {max(rates):6.1f}/s best"


def main() -> None:
    if not samples.CII_EXAMPLE.exists():
        sys.exit(f"no CII example at {samples.CII_EXAMPLE}")
    cii = samples.CII_EXAMPLE.read_bytes()
    german = samples.invoice()
    start = time.perf_counter()
    complete(german, cii)
    print(
        f"first document of the process (fonts reduced once): {time.perf_counter() - start:.3f} s"
    )
    pdf = document_pdf(german, None)
    print(f"German 5-line invoice, PDF only:        {rate(lambda: document_pdf(german, None))}")
    print(f"German 5-line invoice, Factur-X only:   {rate(lambda: factur_x(pdf, cii, german))}")
    print(f"German 5-line invoice, PDF + Factur-X:  {rate(lambda: complete(german, cii))}")
    english = samples.reverse_charge()
    print(f"English 5-line invoice, PDF + Factur-X: {rate(lambda: complete(english, cii))}")
    chinese = samples.chinese()
    start = time.perf_counter()
    complete(chinese, cii)
    print(f"Chinese invoice, first (CJK subset made): {time.perf_counter() - start:.3f} s")
    print(f"Chinese invoice, again (subset cached):  {rate(lambda: complete(chinese, cii), 3, 10)}")
    sizes = len(complete(german, cii)), len(complete(chinese, cii))
    print(f"size: {sizes[0]:,} bytes (German), {sizes[1]:,} bytes (Chinese)")
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.runcall(lambda: [complete(german, cii) for _ in range(50)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
