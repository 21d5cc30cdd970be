"""Vendors and the versions of their catalogs."""

from __future__ import annotations

import abc

from tenure.domain.catalog import Catalog


class VendorRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, vendor_id: str, catalog: Catalog) -> int:
        """Store a new vendor, or a new catalog version of an existing one; returns the version."""

    @abc.abstractmethod
    def catalog(self, vendor_id: str) -> Catalog:
        """The vendor's current catalog; raises UnknownVendor."""

    @abc.abstractmethod
    def list(self) -> list[str]:
        """Every vendor id, sorted."""
