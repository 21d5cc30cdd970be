"""Comparing a simulation's output with an expected result (``*.expected.json``).

Every field shown must be equal; fields not shown are free. A list must have the same length and
order, except that ``lines`` match in any order (same count) and every expected ``emails`` entry
must be among the actual e-mails.
"""

from __future__ import annotations

from typing import Any

UNORDERED = {"lines"}
SUBSET = {"emails"}


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Every way ``actual`` fails ``expected``, as ``path: expected X, got Y``; empty if it fits."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '(top)'}: expected a mapping, got {actual!r}"]
        found = []
        for key, value in expected.items():
            where = f"{path}.{key}" if path else key
            if key not in actual:
                found.append(f"{where}: missing")
            else:
                found += differences(value, actual[key], where)
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {actual!r}"]
        key = path.rsplit(".", 1)[-1].split("[")[0]
        if key in SUBSET:
            return [
                f"{path}: no entry matches {e!r}"
                for e in expected
                if not any(not differences(e, a) for a in actual)
            ]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} entries, got {len(actual)}"]
        if key in UNORDERED:
            return _unordered(expected, actual, path)
        found = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found += differences(e, a, f"{path}[{i}]")
        return found
    if expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


def _unordered(expected: list[Any], actual: list[Any], path: str) -> list[str]:
    """Match each expected entry to a distinct actual one (augmenting paths, so that a greedy
    early choice cannot block a later entry)."""
    fits = [[j for j, a in enumerate(actual) if not differences(e, a)] for e in expected]
    owner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or assign(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return [
        f"{path}: no remaining entry matches {expected[i]!r}"
        for i in range(len(expected))
        if not assign(i, set())
    ]
