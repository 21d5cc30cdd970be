"""Rows for the CLI's tables: the shared presenters (:mod:`tenure.entrypoints.presenters`),
imported when a command first shows a row (importing them pulls in the services, which
``--help`` does not need)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tenure.domain.contract import Contract
    from tenure.domain.customer import Customer
    from tenure.domain.invoicing import Document


def contract_detail(contract: Contract) -> dict[str, Any]:
    from tenure.entrypoints.presenters import contract_dict

    return contract_dict(contract)


def contract_row(contract: Contract) -> dict[str, Any]:
    from tenure.entrypoints.presenters import contract_summary

    return contract_summary(contract)


def customer_row(customer: Customer) -> dict[str, Any]:
    from tenure.entrypoints.presenters import customer_dict

    return customer_dict(customer)


def document_detail(document: Document) -> dict[str, Any]:
    from tenure.entrypoints.presenters import document_dict

    return document_dict(document)


def document_row(document: Document) -> dict[str, Any]:
    from tenure.entrypoints.presenters import document_summary

    return document_summary(document)
