"""API keys of the vendor API: create (the secret is shown once), authenticate, revoke."""

from __future__ import annotations

from tenure.services.access import (
    ApiKeyRecord,
    InvalidApiKey,
    NewApiKey,
    Scope,
    key_id_of,
    new_api_key,
    verify,
)
from tenure.services.context import UseCases
from tenure.services.repositories.idempotency import IDEMPOTENCY_KEY_TTL


class ApiKeys(UseCases):
    def create(self, vendor_id: str, scope: Scope = Scope.FULL, name: str = "") -> NewApiKey:
        """A new API key; its secret is in the result and nowhere else (only a hash is kept)."""
        key = new_api_key(vendor_id, scope, name, self.ctx.clock.now())
        with self._uow() as uow:
            uow.vendors.catalog(vendor_id)
            uow.api_keys.add(key.record)
            uow.commit()
        return key

    def authenticate(self, secret: str) -> ApiKeyRecord:
        with self._reading() as uow:
            return verify(uow.api_keys.get(key_id_of(secret)), secret)

    def list(self, vendor_id: str) -> list[ApiKeyRecord]:
        """The vendor's API keys, revoked ones too, oldest first (hashes only, no secret)."""
        with self._reading() as uow:
            uow.vendors.catalog(vendor_id)
            return uow.api_keys.of_vendor(vendor_id)

    def revoke(self, vendor_id: str, key_id: str) -> None:
        with self._uow() as uow:
            record = uow.api_keys.get(key_id)
            if record is None or record.vendor_id != vendor_id:
                raise InvalidApiKey(f"no API key {key_id!r}")
            uow.api_keys.revoke(key_id, self.ctx.clock.now())
            uow.commit()

    def purge_idempotency_keys(self) -> int:
        """Delete the Idempotency-Keys of every vendor older than
        :data:`~tenure.services.repositories.idempotency.IDEMPOTENCY_KEY_TTL` (they count no
        more: :meth:`IdempotencyKeys.claim` treats them as new); returns how many."""
        with self._uow() as uow:
            purged = uow.idempotency.purge(self.ctx.clock.now() - IDEMPOTENCY_KEY_TTL)
            uow.commit()
        return purged
