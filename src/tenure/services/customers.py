"""Customers of a vendor: consumers and businesses, live or sandbox (on a test clock).

Every entry point (library, API, CLI, scenario runner) creates and changes customers here, so
each gets the same checks of the data an invoice prints (UStG § 14 Abs. 4; decision 0012): a
real ISO 3166-1 country, a billing address, and a VAT ID only for a business, with the prefix of
the customer's country and valid check digits. The checks of countries and VAT IDs come through
the :class:`TaxIdentity` port (python-stdnum and pycountry behind it, wired by the bootstrap).
"""

from __future__ import annotations

import enum
import re
from dataclasses import replace
from typing import Any, Protocol

from tenure.domain import events as ev
from tenure.domain.customer import Customer, CustomerType
from tenure.domain.errors import DomainError
from tenure.domain.tax import VAT_ID_PREFIX_TO_COUNTRY
from tenure.services.context import Context, UseCases, retrying


class TaxIdentity(Protocol):
    """Checks of a country code and a VAT ID against well-kept reference data."""

    def country_problem(self, country: str) -> str | None:
        """None if ``country`` is an ISO 3166-1 alpha-2 code, else why not."""
        ...

    def vat_id_problem(self, vat_id: str) -> str | None:
        """None if ``vat_id`` is a well-formed EU VAT ID with valid check digits, else why not."""
        ...

    def normalize_vat_id(self, vat_id: str) -> str:
        """``vat_id`` without blanks and separators, upper case (``DE 129 273 398`` →
        ``DE129273398``)."""
        ...


class InvalidCustomer(DomainError):
    """The customer's data cannot go on an invoice; ``details["field"]`` names the field."""

    code = "invalid_customer"
    status = 422


class InvalidCountry(InvalidCustomer):
    code = "invalid_country"


class InvalidVatId(InvalidCustomer):
    code = "invalid_vat_id"


class VatIdCountryMismatch(InvalidCustomer):
    code = "vat_id_country_mismatch"


class VatIdNotAllowed(InvalidCustomer):
    code = "vat_id_not_allowed"


class FieldRequired(InvalidCustomer):
    code = "field_required"


class InvalidEmail(InvalidCustomer):
    code = "invalid_email"


class InvalidLocale(InvalidCustomer):
    code = "invalid_locale"


class CustomerHasContracts(DomainError):
    code = "customer_has_contracts"


class Keep(enum.Enum):
    """The type of :data:`KEEP`."""

    KEEP = "keep"


#: The VAT ID prefix of each country whose prefix is not its ISO code (Greece: EL).
VAT_ID_PREFIXES = {country: prefix for prefix, country in VAT_ID_PREFIX_TO_COUNTRY.items()}

EMAIL = re.compile(r"[^@\s]+@[^@\s]+")

#: The languages of documents and e-mails.
LOCALES = ("de", "en", "zh")

#: An :meth:`Customers.update` argument left out: the field keeps its value.
KEEP = Keep.KEEP

#: The fields :meth:`Customers.update` may change (not the type, nor the test clock).
CHANGEABLE = ("name", "email", "country", "address", "vat_id", "locale", "buyer_reference")


class Customers(UseCases):
    def __init__(self, ctx: Context, tax_identity: TaxIdentity) -> None:
        super().__init__(ctx)
        self.tax_identity = tax_identity

    @retrying
    def create(
        self,
        vendor_id: str,
        *,
        type: CustomerType,
        name: str,
        country: str,
        email: str,
        address: str,
        locale: str = "de",
        vat_id: str | None = None,
        test_clock_id: str | None = None,
        buyer_reference: str | None = None,
    ) -> Customer:
        """Create a customer; one given a ``test_clock_id`` is a sandbox customer living on it.
        Refused (:class:`InvalidCustomer`) when its data could not go on an invoice."""
        customer = self.checked(
            Customer(
                id=self.ctx.ids("cus"),
                type=type,
                name=name,
                country=country,
                email=email,
                locale=locale,
                vat_id=vat_id,
                address=address,
                test_clock_id=test_clock_id,
                buyer_reference=buyer_reference,
            )
        )
        with self._uow() as uow:
            uow.vendors.catalog(vendor_id)
            if test_clock_id is not None:
                uow.test_clocks.get(vendor_id, test_clock_id)
            uow.customers.add(vendor_id, customer)
            uow.commit()
        return customer

    @retrying
    def update(
        self,
        vendor_id: str,
        customer_id: str,
        *,
        name: str | Keep = KEEP,
        email: str | Keep = KEEP,
        country: str | Keep = KEEP,
        address: str | Keep = KEEP,
        vat_id: str | Keep | None = KEEP,
        locale: str | Keep = KEEP,
        buyer_reference: str | Keep | None = KEEP,
    ) -> Customer:
        """Change a customer's master data, checked as at creation. Documents issued afterwards
        show the new data; issued ones keep the snapshot they were issued with. Published as
        ``customer.updated`` (with the names of the changed fields) and audited."""
        given: dict[str, Any] = {
            "name": name,
            "email": email,
            "country": country,
            "address": address,
            "vat_id": vat_id,
            "locale": locale,
            "buyer_reference": buyer_reference,
        }
        with self._uow() as uow:
            before = uow.customers.get(vendor_id, customer_id, lock=True)
            after = self.checked(
                replace(before, **{k: v for k, v in given.items() if v is not KEEP})
            )
            changed = tuple(k for k in CHANGEABLE if getattr(after, k) != getattr(before, k))
            if changed:
                uow.customers.update(vendor_id, before, after)
                now = self.ctx.now(uow, vendor_id, after)
                event = ev.CustomerUpdated(occurred_at=now, customer_id=after.id, changed=changed)
                uow.outbox.publish(vendor_id, [event])
                uow.commit()
        return after

    @retrying
    def delete(self, vendor_id: str, customer_id: str) -> Customer:
        """Delete a customer who never had a contract (one with contracts has documents and
        history that must stay: :class:`CustomerHasContracts`). Published as
        ``customer.deleted`` and audited."""
        with self._uow() as uow:
            customer = uow.customers.get(vendor_id, customer_id, lock=True)
            if uow.contracts.ids(vendor_id, customer_id):
                raise CustomerHasContracts(
                    f"customer {customer_id!r} has contracts and cannot be deleted",
                    customer=customer_id,
                )
            now = self.ctx.now(uow, vendor_id, customer)
            uow.customers.delete(vendor_id, customer)
            event = ev.CustomerDeleted(occurred_at=now, customer_id=customer_id)
            uow.outbox.publish(vendor_id, [event])
            uow.commit()
        return customer

    def checked(self, customer: Customer) -> Customer:
        """``customer`` normalised (country upper case, VAT ID compact, blanks trimmed), or
        :class:`InvalidCustomer` naming the field that cannot go on an invoice."""
        name, email = customer.name.strip(), customer.email.strip()
        address = (customer.address or "").strip()
        country = customer.country.strip().upper()
        for field, value in (("name", name), ("email", email), ("address", address)):
            if not value:
                raise FieldRequired(
                    f"the customer's {field} is required (UStG § 14 Abs. 4 Nr. 1)", field=field
                )
        if not EMAIL.fullmatch(email):
            raise InvalidEmail(f"{email!r} is not an e-mail address", field="email")
        if problem := self.tax_identity.country_problem(country):
            raise InvalidCountry(problem, field="country")
        vat_id = (customer.vat_id or "").strip() or None
        if vat_id is not None:
            vat_id = self._checked_vat_id(vat_id, customer.type, country)
        if customer.locale not in LOCALES:
            raise InvalidLocale(
                f"{customer.locale!r} is not a language tenure writes in ({', '.join(LOCALES)})",
                field="locale",
            )
        reference = (customer.buyer_reference or "").strip() or None
        return replace(
            customer,
            name=name,
            email=email,
            address=address,
            country=country,
            vat_id=vat_id,
            buyer_reference=reference,
        )

    def _checked_vat_id(self, vat_id: str, type: CustomerType, country: str) -> str:
        if type is CustomerType.CONSUMER:
            raise VatIdNotAllowed(
                "a consumer has no VAT ID: create a business customer to invoice with one",
                field="vat_id",
            )
        vat_id = self.tax_identity.normalize_vat_id(vat_id)
        if vat_id[:2] != VAT_ID_PREFIXES.get(country, country):
            raise VatIdCountryMismatch(
                f"the VAT ID {vat_id!r} is not one of country {country!r}"
                + (" (Greece uses the prefix EL)" if country == "GR" else ""),
                field="vat_id",
            )
        if problem := self.tax_identity.vat_id_problem(vat_id):
            raise InvalidVatId(problem, field="vat_id")
        return vat_id
