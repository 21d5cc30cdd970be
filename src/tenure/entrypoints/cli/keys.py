"""``tenure keys``: create, list and revoke API keys of the vendor API."""

from __future__ import annotations

from typing import Annotated

import typer

from tenure.entrypoints.cli.common import done, handles_errors, show, tenure

keys_app = typer.Typer(help="API keys of the vendor API.", no_args_is_help=True)


@keys_app.command("create")
@handles_errors
def keys_create(
    read_only: Annotated[bool, typer.Option("--read-only", help="GET requests only.")] = False,
    name: Annotated[str, typer.Option(help="A label.")] = "",
) -> None:
    """Create an API key. Its secret is shown now and never again (only a hash is kept)."""
    from tenure.services.access import Scope

    with tenure() as (services, vendor):
        key = services.api_keys.create(vendor, Scope.READ_ONLY if read_only else Scope.FULL, name)
    done(
        f"API key {key.record.id} ({key.record.scope.value}): {key.secret}",
        id=key.record.id,
        scope=key.record.scope.value,
        secret=key.secret,
    )


@keys_app.command("list")
@handles_errors
def keys_list() -> None:
    """The vendor's API keys, revoked ones too: id, scope, name, created, revoked (never the
    secret, which is not stored; tenure does not record when a key was last used)."""
    with tenure() as (services, vendor):
        keys = services.api_keys.list(vendor)
    show(
        [
            {
                "id": k.id,
                "scope": k.scope.value,
                "name": k.name,
                "created_at": k.created_at,
                "revoked_at": k.revoked_at,
            }
            for k in keys
        ],
        "API keys",
        ["id", "scope", "name", "created_at", "revoked_at"],
    )


@keys_app.command("revoke")
@handles_errors
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id.")]) -> None:
    """Revoke an API key at once."""
    with tenure() as (services, vendor):
        services.api_keys.revoke(vendor, key_id)
    done(f"revoked {key_id}", id=key_id, revoked=True)
