"""Customers of a vendor: consumers and businesses, live or sandbox (on a test clock)."""

from __future__ import annotations

from tenure.domain.customer import Customer, CustomerType
from tenure.services.context import UseCases, retrying


class Customers(UseCases):
    @retrying
    def create(
        self,
        vendor_id: str,
        *,
        type: CustomerType,
        name: str,
        country: str,
        email: str,
        locale: str = "de",
        vat_id: str | None = None,
        address: str | None = None,
        test_clock_id: str | None = None,
    ) -> Customer:
        """Create a customer; one given a ``test_clock_id`` is a sandbox customer living on it."""
        customer = Customer(
            id=self.ctx.ids("cus"),
            type=type,
            name=name,
            country=country.upper(),
            email=email,
            locale=locale,
            vat_id=vat_id,
            address=address,
            test_clock_id=test_clock_id,
        )
        with self._uow() as uow:
            uow.vendors.catalog(vendor_id)
            if test_clock_id is not None:
                uow.test_clocks.get(vendor_id, test_clock_id)
            uow.customers.add(vendor_id, customer)
            uow.commit()
        return customer
