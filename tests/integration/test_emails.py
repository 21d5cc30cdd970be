"""E-mail to customers (issue #9): queued from events after commit, sent through a real SMTP
server on loopback (aiosmtpd), at most once per (event, template, recipient) even when a worker
dies after the server accepted the mail, retried on transient failures, failed on refusals, and
never sent to a real server for a sandbox customer; on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.mail.compose import TemplateComposer
from tenure.adapters.mail.files import FolderMailer
from tenure.adapters.mail.smtp import SmtpMailer
from tenure.bootstrap import MailSettings, bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.emails import LEASE
from tenure.services.errors import EmailNotResendable, UnknownEmail
from tenure.services.mail import Mailer, OutgoingMail
from tenure.services.repositories.emails import EmailStatus
from tenure.services.webhook_rules import WebhookSettings
from tests.mailserver import Mailbox, smtp_server

CATALOG = Path(__file__).resolve().parents[2] / "src" / "tenure" / "demo" / "cloudcrm.yaml"
TIERS = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm-tiers.yaml"
NOV_28 = datetime(2026, 11, 28, 13, 3, tzinfo=UTC)  # 14:03 in Berlin


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, str]]:
    with smtp_server() as server:
        yield server


def app_with(
    store: Any, clock: ManualClock, mailer: Mailer, sandbox: Mailer | None = None
) -> Services:
    mail = MailSettings(TemplateComposer(), mailer, sandbox, "test")
    return bootstrap(store, clock, mail=mail)


def customer_with_contract(
    app: Services, vendor: str, test_clock: str | None = None, plan: str = "business"
) -> tuple[str, str]:
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="Muster GmbH",
        country="DE",
        email="billing@muster.example",
        address="Musterweg 1, 10115 Berlin",
        test_clock_id=test_clock,
    )
    contract = app.contracts.start(vendor, customer.id, plan)
    return customer.id, contract.id


def started(store_factory: Any, url: str) -> tuple[Services, ManualClock, str, tuple[str, str]]:
    """A vendor on the demo catalog with one customer and contract, its mail going to ``url``
    (the clock at 28 November 2026, 14:03 in Berlin): app, clock, vendor, (customer, contract)."""
    clock = ManualClock(NOV_28)
    app = app_with(store_factory(clock), clock, SmtpMailer(url))
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    return app, clock, vendor, customer_with_contract(app, vendor)


def deliver_all(app: Services) -> None:
    app.bus.dispatch()
    while app.emails.deliver_next():
        pass


def test_the_cancellation_confirmation_reaches_the_smtp_server(
    store_factory: Any, smtp: tuple[Mailbox, str]
) -> None:
    mailbox, url = smtp
    app, _clock, vendor, (customer, contract) = started(store_factory, url)
    deliver_all(app)  # the contract confirmation
    app.cancellations.cancel(vendor, contract, email="chef@muster.example")
    deliver_all(app)

    messages = mailbox.wait_for(3)
    confirmations = [m for m in messages if "chef@muster.example" in m["To"]] + [
        m for m in messages[1:] if "billing@muster.example" in m["To"]
    ]
    assert len(confirmations) == 2  # the address in the declaration, and the contract's
    text = confirmations[0].get_body(preferencelist=("plain",))
    assert text is not None
    content = text.get_content()
    assert "28.11.2026" in content
    assert "14:03" in content
    assert confirmations[0]["Content-Language"] == "de"
    assert "CloudCRM GmbH" in confirmations[0]["From"]

    log = app.emails.emails(vendor, customer).items
    assert [e.template for e in log] == [
        "contract_confirmation",
        "cancellation_confirmation",
        "cancellation_confirmation",
    ]
    assert all(e.status is EmailStatus.SENT for e in log)
    assert {e.message_id for e in log} == {m["Message-ID"] for m in messages}
    assert all(e.subject for e in log)


class DiesAfterSending:
    """The real SMTP mailer, in a worker process that dies right after the server accepted the
    message and before tenure could record it as sent."""

    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer

    def send(self, message: EmailMessage) -> None:
        self.mailer.send(message)
        raise SystemExit("killed between the SMTP transaction and the database commit")


def test_a_worker_dying_after_the_server_accepted_never_sends_twice(
    store_factory: Any, smtp: tuple[Mailbox, str]
) -> None:
    mailbox, url = smtp
    clock = ManualClock(NOV_28)
    store = store_factory(clock)
    dying = app_with(store, clock, DiesAfterSending(SmtpMailer(url)))
    vendor = dying.vendors.create(load_catalog_file(CATALOG))
    customer, _ = customer_with_contract(dying, vendor)
    dying.bus.dispatch()
    with pytest.raises(SystemExit):
        dying.emails.deliver_next()
    assert len(mailbox.wait_for(1)) == 1
    (record,) = dying.emails.emails(vendor, customer).items
    assert record.status is EmailStatus.SENDING  # its Message-ID was on record before sending
    assert record.message_id == mailbox.messages[0]["Message-ID"]

    restarted = app_with(store, clock, SmtpMailer(url))
    assert restarted.emails.deliver_next() is False  # the lease still holds
    clock.advance_to(clock.now() + LEASE + timedelta(seconds=1))
    assert restarted.emails.deliver_next() is True
    assert restarted.emails.deliver_next() is False
    (record,) = restarted.emails.emails(vendor, customer).items
    assert record.status is EmailStatus.UNKNOWN
    assert "at most once" in (record.last_error or "")
    assert len(mailbox.messages) == 1


def test_a_transient_failure_is_retried_and_a_refusal_is_final(
    store_factory: Any, smtp: tuple[Mailbox, str]
) -> None:
    mailbox, url = smtp
    app, clock, vendor, (customer, contract) = started(store_factory, url)
    mailbox.answer = "451 4.3.0 try again later"
    deliver_all(app)
    (record,) = app.emails.emails(vendor, customer).items
    assert record.status is EmailStatus.PENDING
    assert record.attempts == 1
    assert record.next_attempt_at == clock.now() + timedelta(minutes=1)
    assert "451" in (record.last_error or "")

    mailbox.answer = None
    clock.advance_to(clock.now() + timedelta(minutes=1))
    deliver_all(app)
    (record,) = app.emails.emails(vendor, customer).items
    assert record.status is EmailStatus.SENT
    assert record.attempts == 2
    assert len(mailbox.wait_for(1)) == 1

    mailbox.answer = "550 5.1.1 mailbox unavailable"
    app.cancellations.cancel(vendor, contract)
    deliver_all(app)
    refused = app.emails.emails(vendor, customer).items[-1]
    assert refused.status is EmailStatus.FAILED
    assert refused.attempts == 1
    assert refused.next_attempt_at is None
    assert "550" in (refused.last_error or "")


def test_each_event_template_and_recipient_is_queued_once(
    store_factory: Any, smtp: tuple[Mailbox, str]
) -> None:
    _, url = smtp
    app, _clock, vendor, (customer, _) = started(store_factory, url)
    with app.uow_factory() as uow:
        (message,) = [m for m in uow.outbox.undelivered(10) if m.event.name == "contract.started"]
        app.emails.on_event(uow, message)
        app.emails.on_event(uow, message)  # the same event handed over again
        uow.commit()
    assert len(app.emails.emails(vendor, customer).items) == 1


def test_sandbox_mail_never_reaches_a_real_mail_server(
    store_factory: Any, smtp: tuple[Mailbox, str], tmp_path: Path
) -> None:
    mailbox, url = smtp
    clock = ManualClock(NOV_28)
    store = store_factory(clock)
    app = app_with(store, clock, SmtpMailer(url))
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    test_clock = app.test_clocks.create(vendor, NOV_28, name="Test")
    customer, _ = customer_with_contract(app, vendor, test_clock.id)
    deliver_all(app)
    (record,) = app.emails.emails(vendor, customer).items
    assert record.status is EmailStatus.SUPPRESSED
    assert not record.livemode
    assert record.subject
    assert record.subject.startswith("[TEST]")
    assert mailbox.messages == []

    folder = FolderMailer(tmp_path / "mail")
    with_folder = app_with(store, clock, SmtpMailer(url), sandbox=folder)
    with_folder.contracts.start(vendor, customer, "business")
    deliver_all(with_folder)
    assert len(folder.list()) == 1
    assert mailbox.messages == []


def test_the_log_of_an_unknown_customer_is_not_found(store_factory: Any) -> None:
    from tenure.services.errors import UnknownCustomer

    clock = ManualClock(NOV_28)
    app = app_with(store_factory(clock), clock, FolderMailer(Path("/nonexistent")))
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    with pytest.raises(UnknownCustomer):
        app.emails.emails(vendor, "cus_nobody")


class DiesWhileComposing:
    """The real composer in a worker that dies before it got to the mail server."""

    def compose(self, mail: OutgoingMail) -> EmailMessage:
        raise SystemExit("killed while rendering the attachments")


def test_a_worker_dying_before_the_mail_server_loses_nothing(
    store_factory: Any, smtp: tuple[Mailbox, str]
) -> None:
    mailbox, url = smtp
    clock = ManualClock(NOV_28)
    store = store_factory(clock)
    dying = bootstrap(
        store, clock, mail=MailSettings(DiesWhileComposing(), SmtpMailer(url), None, "")
    )
    vendor = dying.vendors.create(load_catalog_file(CATALOG))
    customer, _ = customer_with_contract(dying, vendor)
    dying.bus.dispatch()
    with pytest.raises(SystemExit):
        dying.emails.deliver_next()
    (record,) = dying.emails.emails(vendor, customer).items
    assert record.status is EmailStatus.PENDING  # nothing was handed to the server
    assert record.attempts == 0

    restarted = app_with(store, clock, SmtpMailer(url))
    assert restarted.emails.deliver_next() is False  # leased until the lease runs out
    clock.advance_to(clock.now() + LEASE)
    assert restarted.emails.deliver_next() is True
    (record,) = restarted.emails.emails(vendor, customer).items
    assert record.status is EmailStatus.SENT
    assert record.attempts == 1
    assert len(mailbox.wait_for(1)) == 1


def test_a_failed_or_unknown_mail_is_sent_again_only_on_request(
    store_factory: Any, smtp: tuple[Mailbox, str]
) -> None:
    mailbox, url = smtp
    app, _clock, vendor, (customer, _) = started(store_factory, url)
    app.bus.dispatch()
    (pending,) = app.emails.emails(vendor, customer).items
    with pytest.raises(EmailNotResendable):
        app.emails.resend(vendor, pending.id)
    mailbox.answer = "550 5.1.1 mailbox unavailable"
    deliver_all(app)
    (failed,) = app.emails.emails(vendor, customer).items
    assert failed.status is EmailStatus.FAILED
    mailbox.answer = None
    assert app.emails.resend(vendor, failed.id).status is EmailStatus.PENDING
    deliver_all(app)
    (sent,) = app.emails.emails(vendor, customer).items
    assert sent.status is EmailStatus.SENT
    assert sent.attempts == 2
    assert len(mailbox.wait_for(1)) == 1
    with pytest.raises(EmailNotResendable):
        app.emails.resend(vendor, sent.id)
    other = app.vendors.create(load_catalog_file(CATALOG))
    with pytest.raises(UnknownEmail):
        app.emails.resend(other, sent.id)


def test_a_mail_tells_what_was_true_when_the_event_happened(
    store_factory: Any, smtp: tuple[Mailbox, str]
) -> None:
    """The bus may hand an event over late (a billing run or a scheduled change came first):
    the booking mail still names the prorated amount and its Sammelrechnung, the scheduled
    downgrade the plan it leaves."""
    mailbox, url = smtp
    clock = ManualClock(datetime(2026, 11, 10, 9, 0, tzinfo=UTC))
    app = app_with(store_factory(clock), clock, SmtpMailer(url))
    vendor = app.vendors.create(load_catalog_file(TIERS))
    _, contract = customer_with_contract(app, vendor, plan="enterprise")
    app.billing.run(vendor_id=vendor)
    clock.advance_to(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    app.addons.book(vendor, contract, "extra_storage")
    app.contracts.change_plan(vendor, contract, "starter")  # a downgrade: on 10 December
    clock.advance_to(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    app.billing.run(vendor_id=vendor)  # the pending item is invoiced, the downgrade applies
    deliver_all(app)

    def text(subject_part: str) -> str:
        (mail,) = [m for m in mailbox.messages if subject_part in str(m["Subject"])]
        body = mail.get_body(preferencelist=("plain",))
        assert body is not None
        return str(body.get_content())

    booked = text("Buchungsbestätigung")
    assert "10.12.2026" in booked  # the Sammelrechnung that collects the proration
    assert "Sammelrechnung" in booked
    scheduled = text("vorgemerkt")
    assert "CloudCRM Enterprise" in scheduled
    assert "10.12.2026" in scheduled


def test_a_mail_that_cannot_be_prepared_holds_back_nothing_else(
    store_factory: Any, store_kind: str, smtp: tuple[Mailbox, str], monkeypatch: Any
) -> None:
    """A bug in preparing one event's mail (injected here) must not keep the event's webhooks
    and render jobs in the outbox: the mail is left out, logged and audited."""
    import tenure.services.emails as emails_module

    _, url = smtp
    clock = ManualClock(NOV_28)
    mail = MailSettings(TemplateComposer(), SmtpMailer(url), None, "test")
    loopback = WebhookSettings(allow_private=True)  # the receiver is never contacted here
    app = bootstrap(store_factory(clock), clock, mail=mail, webhooks=loopback)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    endpoint = app.webhooks.create_endpoint(vendor, "http://127.0.0.1:9/hook")
    customer, _ = customer_with_contract(app, vendor)

    def broken(*_: Any) -> dict[str, Any]:
        raise KeyError("a value the templates need")

    monkeypatch.setattr(emails_module, "mail_context", broken)
    app.bus.dispatch()
    with app.uow_factory() as uow:
        assert uow.outbox.undelivered(10) == []  # the event went to its other handlers
        (delivery,) = uow.webhooks.deliveries(vendor, endpoint.id)
        assert delivery.event_name == "contract.started"
    assert app.emails.emails(vendor, customer).items == []
    if store_kind != "memory":  # the memory store keeps no audit trail
        (entry,) = [e for e in app.queries.audit(vendor) if e.action == "email.not_prepared"]
        assert "KeyError" in str(entry.after)


def test_a_contract_withdrawal_is_confirmed_with_its_time_of_receipt_and_credit_note(
    store_factory: Any, smtp: tuple[Mailbox, str]
) -> None:
    mailbox, url = smtp
    app, clock, vendor, (customer, contract) = started(store_factory, url)
    app.billing.run(vendor_id=vendor)
    clock.advance_to(datetime(2026, 12, 1, 15, 30, tzinfo=UTC))  # 16:30 in Berlin
    (credit_note,) = app.contracts.withdraw(vendor, contract)
    deliver_all(app)

    (mail,) = [m for m in mailbox.messages if "Widerruf" in str(m["Subject"])]
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    text = str(body.get_content())
    assert "01.12.2026, 16:30" in text  # the date and time of receipt, Berlin time
    assert credit_note.number in text
    log = app.emails.emails(vendor, customer).items
    assert "contract_withdrawal_confirmation" in [e.template for e in log]
