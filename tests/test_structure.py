"""The code stays sliced by feature (issue #8): no module grows past about 400 lines, no class
past about 20 public methods, and the services are wired in exactly one place, the bootstrap."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tenure"
MAX_LINES = 400
MAX_PUBLIC_METHODS = 20
#: The feature services (``UseCases`` subclasses), the webhooks service and the bus.
SERVICE_CLASSES = [
    "Vendors",
    "Customers",
    "Contracts",
    "Addons",
    "Cancellations",
    "Usage",
    "Billing",
    "TestClocks",
    "ApiKeys",
    "Queries",
    "Webhooks",
    "MessageBus",
]


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_longer_than_about_400_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_class_has_more_than_about_20_public_methods() -> None:
    crowded = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                public = [
                    f.name
                    for f in node.body
                    if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                    and not f.name.startswith("_")
                ]
                if len(public) > MAX_PUBLIC_METHODS:
                    crowded[f"{path.relative_to(PACKAGE)}:{node.name}"] = len(public)
    assert crowded == {}


def test_services_are_constructed_only_in_the_bootstrap() -> None:
    """``Services(...)`` only in the bootstrap (and ``Services.joined``, which rebuilds it
    around a caller's transaction); each feature service only inside ``Services``."""
    constructions: dict[str, set[str]] = {}
    names = "|".join([*SERVICE_CLASSES, "Services"])
    pattern = re.compile(r"(?<![\w.])(?<!class )(" + names + r")\(")
    for path in modules():
        for name in pattern.findall(path.read_text(encoding="utf-8")):
            constructions.setdefault(name, set()).add(str(path.relative_to(PACKAGE)))
    assert constructions.pop("Services") == {"bootstrap.py", "services/application.py"}
    assert constructions.pop("MessageBus") == {"bootstrap.py"}
    assert constructions == {name: {"services/application.py"} for name in constructions}
    assert set(constructions) == set(SERVICE_CLASSES) - {"MessageBus"}
