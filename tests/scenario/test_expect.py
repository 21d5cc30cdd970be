"""The matching rules of expected results (shared/scenarios/README.md)."""

from __future__ import annotations

from tenure.simulation.expect import differences


def test_fields_not_shown_are_free() -> None:
    assert differences({"a": 1}, {"a": 1, "b": 2}) == []


def test_a_shown_field_must_be_equal() -> None:
    assert differences({"a": {"b": "49.00"}}, {"a": {"b": "49.01"}}) == [
        "a.b: expected '49.00', got '49.01'"
    ]


def test_a_missing_field_is_reported() -> None:
    assert differences({"a": None}, {}) == ["a: missing"]


def test_null_must_match_null_only() -> None:
    assert differences({"end_date": None}, {"end_date": "2026-06-30"}) != []


def test_lists_must_have_the_same_length() -> None:
    assert differences({"invoices": [{}]}, {"invoices": [{}, {}]}) == [
        "invoices: expected 1 entries, got 2"
    ]


def test_lists_must_have_the_same_order() -> None:
    assert differences({"x": [1, 2]}, {"x": [2, 1]}) != []


def test_lines_match_in_any_order() -> None:
    actual = {"lines": [{"kind": "recurring", "net": "1"}, {"kind": "proration", "net": "2"}]}
    assert differences({"lines": [{"kind": "proration"}, {"kind": "recurring"}]}, actual) == []


def test_lines_need_the_same_count() -> None:
    actual = {"lines": [{"kind": "recurring"}, {"kind": "recurring"}]}
    assert differences({"lines": [{"kind": "recurring"}]}, actual) != []


def test_each_expected_line_needs_its_own_actual_line() -> None:
    # The first expected line fits both actual lines; a greedy match that gives it the first
    # actual line would leave nothing for the second expected line.
    actual = {"lines": [{"kind": "recurring", "net": "1"}, {"kind": "recurring", "net": "2"}]}
    expected = {"lines": [{"kind": "recurring"}, {"kind": "recurring", "net": "1"}]}
    assert differences(expected, actual) == []
    assert differences({"lines": [{"net": "1"}, {"net": "1"}]}, actual) != []


def test_expected_emails_must_be_among_the_actual_ones() -> None:
    actual = {"emails": [{"template": "invoice_issued"}, {"template": "cancellation_confirmation"}]}
    assert differences({"emails": [{"template": "cancellation_confirmation"}]}, actual) == []
    assert differences({"emails": [{"template": "contract_ended"}]}, actual) == [
        "emails: no entry matches {'template': 'contract_ended'}"
    ]
