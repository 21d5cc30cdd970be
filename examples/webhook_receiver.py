"""A small webhook receiver for trying tenure's webhooks, safe to copy as a starting point.

It verifies each delivery with the ``standardwebhooks`` package (the reference implementation of
the Standard Webhooks specification tenure signs by): constant-time comparison, the timestamp
within five minutes of now (replayed deliveries are refused), and several signatures in one
``webhook-signature`` header (as sent while a secret is being rotated). It answers 204 to a valid
delivery and 400 to anything else, and prints one line per request.

    pip install standardwebhooks==1.1.0
    python examples/webhook_receiver.py 8900 whsec_...   # then register http://127.0.0.1:8900/

Deliveries are at-least-once: deduplicate on ``webhook-id`` before acting on an event.
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

#: Refuse bodies larger than this (tenure's events are a few kilobytes).
MAX_BODY = 1_000_000


def make_handler(secret: str) -> type[BaseHTTPRequestHandler]:
    webhook = Webhook(secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            try:
                length = int(self.headers.get("content-length", ""))
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                self._answer(400, "missing or oversized body")
                return
            body = self.rfile.read(length)
            try:
                event = webhook.verify(body, dict(self.headers.items()))
            except (WebhookVerificationError, ValueError) as error:
                self._answer(400, f"refused: {error}")
                return
            print(f"{event['type']:<28} {self.headers['webhook-id']}  verified", flush=True)
            self.send_response(204)
            self.end_headers()

        def _answer(self, status: int, reason: str) -> None:
            print(f"{'-':<28} {self.headers.get('webhook-id', '-')}  {reason}", flush=True)
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"error": reason}).encode())

        def log_message(self, *args: object) -> None:
            pass

    return Handler


if __name__ == "__main__":
    port, secret = int(sys.argv[1]), sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", port), make_handler(secret)).serve_forever()
