"""Webhook endpoints of vendors and the deliveries of events to them (see
:mod:`tenure.services.webhooks`): the values stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    id: str
    vendor_id: str
    url: str
    secret: str
    event_types: tuple[str, ...]  # ("*",) for all
    created_at: datetime

    def wants(self, event_name: str) -> bool:
        return "*" in self.event_types or event_name in self.event_types


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    vendor_id: str
    endpoint_id: str
    message_id: str  # webhook-id: the same on every attempt, so receivers can deduplicate
    event_name: str
    payload: dict[str, Any]
    status: str  # pending | delivered | failed
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    last_status: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
