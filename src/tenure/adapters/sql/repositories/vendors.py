"""Vendors and their catalog versions in SQL."""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import insert, select, update

from tenure.adapters.sql import codec
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.session import Session
from tenure.domain.catalog import Catalog
from tenure.services.errors import UnknownVendor
from tenure.services.repositories.vendors import VendorRepository

# Catalog versions never change once stored, so a process may keep them; CATALOG_VERSIONS maps each
# kept catalog object back to its version (a contract that moved to a newer one is saved so).
CATALOGS: dict[tuple[str, str, int], Catalog] = {}
CATALOG_VERSIONS: dict[int, int] = {}


def catalog_version(session: Session, vendor_id: str, version: int) -> Catalog:
    """A vendor's catalog as of ``version`` (read once per process)."""
    key = (str(session.engine.url), vendor_id, version)
    if key not in CATALOGS:
        document = session.execute(
            select(t.catalog_versions.c.document).where(
                t.catalog_versions.c.vendor_id == vendor_id,
                t.catalog_versions.c.version == version,
            )
        ).scalar_one()
        CATALOGS[key] = codec.catalog_from_json(document)
        CATALOG_VERSIONS[id(CATALOGS[key])] = version
    return CATALOGS[key]


def current_version(session: Session, vendor_id: str) -> int | None:
    row = session.execute(
        select(t.vendors.c.current_catalog_version).where(t.vendors.c.id == vendor_id)
    ).first()
    return None if row is None else int(row[0])


class SqlVendors(VendorRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, vendor_id: str, catalog: Catalog, at: datetime | None = None) -> int:
        """Store a vendor or, if it exists, a new catalog version; returns the version."""
        at = at or self._s.clock.now()
        row = self._s.execute(
            select(t.vendors.c.current_catalog_version)
            .where(t.vendors.c.id == vendor_id)
            .with_for_update()
        ).first()
        version = 1 if row is None else row[0] + 1
        if row is None:
            self._s.execute(
                insert(t.vendors).values(
                    id=vendor_id,
                    name=catalog.vendor.name,
                    current_catalog_version=1,
                    created_at=at,
                )
            )
        else:
            self._s.execute(
                update(t.vendors)
                .where(t.vendors.c.id == vendor_id)
                .values(name=catalog.vendor.name, current_catalog_version=version)
            )
        self._s.execute(
            insert(t.catalog_versions).values(
                vendor_id=vendor_id,
                version=version,
                document=codec.catalog_to_json(catalog),
                created_at=at,
            )
        )
        return version

    def catalog(self, vendor_id: str) -> Catalog:
        version = current_version(self._s, vendor_id)
        if version is None:
            raise UnknownVendor(f"no vendor {vendor_id!r}")
        return catalog_version(self._s, vendor_id, version)

    def list(self) -> builtins.list[str]:
        return list(self._s.execute(select(t.vendors.c.id).order_by(t.vendors.c.id)).scalars())
