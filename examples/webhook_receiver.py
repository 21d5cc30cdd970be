"""A tiny webhook receiver for trying tenure's webhooks: prints each event and checks its
Standard Webhooks signature.

    python examples/webhook_receiver.py 8900 whsec_...   # then register http://127.0.0.1:8900/
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tenure.services.webhooks import sign

PORT, SECRET = int(sys.argv[1]), sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["content-length"]))
        expected = sign(SECRET, self.headers["webhook-id"], int(self.headers["webhook-timestamp"]),
                        body)
        valid = self.headers["webhook-signature"] == expected
        event = json.loads(body)
        print(f"{event['type']:<28} {self.headers['webhook-id']}  signature "
              f"{'valid' if valid else 'INVALID'}", flush=True)
        self.send_response(204 if valid else 400)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
