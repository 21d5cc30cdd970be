"""The domain core is pure: it imports the standard library and itself, nothing else, and it never
reads the clock. (import-linter enforces the layers too; this test also catches a new third-party
package that no contract lists yet.)"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[1] / "src" / "tenure" / "domain"
CLOCK_READS = {"now", "today", "utcnow", "time", "monotonic", "perf_counter"}


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
