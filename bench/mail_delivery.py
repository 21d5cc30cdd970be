"""E-mails per second through tenure's whole delivery (lease, compose, record ``sending``, SMTP,
record the outcome: four short transactions per mail) to an SMTP server on loopback, on SQLite
and on PostgreSQL when one answers; against the baseline of the same run: the standard library
sending the same number of ready-made messages over one connection.

    PYTHONPATH=src .venv/bin/python bench/mail_delivery.py [MAILS]

Not a timed test: run it, read the figures. One process, one worker thread; aiosmtpd runs in
the same process (its share of the CPU is in every figure).
"""

from __future__ import annotations

import email.policy
import os
import smtplib
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from tests.mailserver import free_port  # noqa: E402

from tenure.adapters.catalog_yaml import load_catalog_file  # noqa: E402
from tenure.adapters.mail.compose import TemplateComposer  # noqa: E402
from tenure.adapters.mail.smtp import SmtpMailer  # noqa: E402
from tenure.adapters.sql import SqlStore  # noqa: E402
from tenure.bootstrap import MailSettings, bootstrap  # noqa: E402
from tenure.domain.customer import CustomerType  # noqa: E402
from tenure.services.clock import ManualClock  # noqa: E402

CATALOG = ROOT / "src" / "tenure" / "demo" / "cloudcrm.yaml"
POSTGRES = os.environ.get("TENURE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/")


class Sink:
    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


def delivery(url: str, smtp: str, mails: int) -> tuple[float, list[bytes]]:
    """Mails per second through ``Emails.deliver_next``; the messages as sent, for the baseline."""
    clock = ManualClock(datetime(2026, 11, 28, 9, tzinfo=UTC))
    composer = TemplateComposer()
    app = bootstrap(
        SqlStore(url, clock), clock, mail=MailSettings(composer, SmtpMailer(smtp), None, "")
    )
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    for n in range(mails):
        customer = app.customers.create(
            vendor,
            type=CustomerType.BUSINESS,
            name=f"Kunde {n} GmbH",
            country="DE",
            email=f"k{n}@kunde.example",
            address="Kundenweg 1, 10115 Berlin",
        )
        app.contracts.start(vendor, customer.id, "business")  # a contract confirmation each
    app.bus.dispatch()
    start = time.perf_counter()
    sent = 0
    while app.emails.deliver_next():
        sent += 1
    seconds = time.perf_counter() - start
    assert sent == mails, sent
    ready = [
        app.emails.message(vendor, e.id).as_bytes(policy=email.policy.SMTP)
        for e in app.emails.emails(vendor, customer.id).items
    ] * mails
    return mails / seconds, ready[:mails]


def baseline(port: int, messages: list[bytes]) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as raw:
        for message in messages:
            raw.sendmail("rechnung@cloudcrm.example", ["k@kunde.example"], message)
    return len(messages) / (time.perf_counter() - start)


def postgres_database() -> str | None:
    try:
        admin = create_engine(POSTGRES + "postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS tenure_bench_mail WITH (FORCE)"))
            conn.execute(text("CREATE DATABASE tenure_bench_mail"))
        admin.dispose()
    except Exception as exc:  # no server: SQLite only
        print(f"PostgreSQL skipped: {type(exc).__name__}")
        return None
    return POSTGRES.replace("postgresql://", "postgresql+psycopg://") + "tenure_bench_mail"


def main() -> None:
    mails = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    smtp = f"smtp+insecure://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            stores = {"SQLite": f"sqlite:///{folder}/bench.sqlite"}
            if pg := postgres_database():
                stores["PostgreSQL"] = pg
            for name, url in stores.items():
                rate, messages = delivery(url, smtp, mails)
                floor = baseline(port, messages)
                print(
                    f"{name}: {mails} contract confirmations through tenure's delivery "
                    f"{rate:6.0f} mails/s; baseline smtplib, same messages, one connection "
                    f"{floor:6.0f} mails/s; tenure/baseline {rate / floor:.2f}"
                )
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
