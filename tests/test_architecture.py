"""The domain core is pure: it imports the standard library and itself, nothing else, and it never
reads the clock. (import-linter enforces the layers too; this test also catches a new third-party
package that no contract lists yet.) How a document is drafted, taxed and issued is named nowhere
outside the domain."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[1] / "src" / "tenure" / "domain"
CLOCK_READS = {"now", "today", "utcnow", "time", "monotonic", "perf_counter"}
#: Drafting, taxing and issuing a document: outer layers ask the contract instead
#: (``bill_day``, ``preview_next_documents``, ``issue``).
DOMAIN_ONLY = ("build_invoice", "tax_treatment", "DocumentIssued(")


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_imports_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"tenure", "__future__"}
    offenders = {
        f"{path.name}: {root}"
        for path in DOMAIN.glob("*.py")
        for root in imported_roots(path) - allowed
    }
    assert offenders == set()


def test_domain_imports_no_outer_layer() -> None:
    offenders = []
    for path in DOMAIN.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if name.startswith("tenure.") and not name.startswith("tenure.domain")
            ]
    assert offenders == []


def test_domain_never_reads_the_clock() -> None:
    offenders = []
    for path in DOMAIN.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CLOCK_READS
            ):
                offenders.append(f"{path.name}:{node.lineno} .{node.func.attr}()")
    assert offenders == []


def test_documents_are_drafted_taxed_and_issued_in_the_domain_only() -> None:
    package = DOMAIN.parent
    offenders = [
        f"{path.relative_to(package)}:{number}: {name}"
        for path in sorted(package.rglob("*.py"))
        if DOMAIN not in path.parents
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for name in DOMAIN_ONLY
        if name in line
    ]
    assert offenders == []
