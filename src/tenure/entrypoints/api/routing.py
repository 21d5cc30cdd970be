"""How every v1 operation reads its request body (decision 0008): a JSON body must be sent as
``application/json`` (or ``…+json``), otherwise 415 ``unsupported_media_type``; an operation
that takes no body refuses one (422 ``unexpected_body``) instead of ignoring it; an operation
that reads its body itself (the catalog upload, YAML) names its media types in
``openapi_extra`` and gets the same 415 for any other."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from email.message import Message
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from tenure.entrypoints.api.problems import problem

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: The response of an operation that creates something, for the OpenAPI document.
CREATED: dict[int | str, dict[str, Any]] = {
    201: {
        "description": "Created",
        "headers": {
            "Location": {
                "description": "The path of the new object, where it can be read",
                "schema": {"type": "string"},
            }
        },
    }
}


def _media_type(request: Request) -> str | None:
    """The request's media type without parameters (``application/json``), or None."""
    value = request.headers.get("content-type")
    if not value:
        return None
    message = Message()
    message["content-type"] = value
    return message.get_content_type()


def _matches(media_type: str, accepted: tuple[str, ...]) -> bool:
    """``media_type`` is one of ``accepted``; JSON includes the ``application/…+json`` types."""
    json = "application/json" in accepted and (
        media_type.startswith("application/") and media_type.endswith("+json")
    )
    return media_type in accepted or json


class StrictRoute(APIRoute):
    """An operation that refuses request bodies it would not read (see the module)."""

    def accepted_media_types(self) -> tuple[str, ...] | None:
        """The media types of its body (JSON, or those its ``openapi_extra`` declares), or
        None when it takes no body."""
        if self.body_field is not None:
            return ("application/json",)
        declared = (self.openapi_extra or {}).get("requestBody", {}).get("content")
        return tuple(declared) if declared else None

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        accepted = self.accepted_media_types()

        async def strict(request: Request) -> Response:
            if request.method in _WRITES and (await request.body()):
                if accepted is None:
                    return problem(
                        422, "unexpected_body", "this operation takes no request body; send none"
                    )
                media_type = _media_type(request)
                if media_type is None or not _matches(media_type, accepted):
                    return problem(
                        415,
                        "unsupported_media_type",
                        f"send the body as {' or '.join(accepted)} "
                        f"(Content-Type was {media_type or 'missing'})",
                    )
            return await handler(request)

        return strict
